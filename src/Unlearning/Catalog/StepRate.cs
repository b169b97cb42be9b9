namespace Unlearning.Catalog;

/// <summary>Measured seconds per optimiser step (training) or per full-batch unlearning step, and an
/// unlearning method's set-up (its top-K lists), on one thread of the 2-vCPU development machine.</summary>
public sealed record StepRate(double SecondsPerStep, double SetupSeconds = 0);
