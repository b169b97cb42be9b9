namespace Unlearning.Grains;

/// <summary>Why a job was stopped before it finished.</summary>
public enum StopReason { None, Cancelled, TimeLimit, SiloStopping }
