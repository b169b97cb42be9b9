namespace Unlearning.Grains;

/// <summary>What a silo offers a new cell: its GPUs, its device slots and the cells already placed on it.</summary>
public readonly record struct SiloOffer(int Gpus, int Slots, int Placed);
