namespace Unlearning.Bench;

/// <summary>What one method costs at a dataset's full size, bounded in time: a whole cell at LFM-2B's
/// size takes hours on a CPU.</summary>
/// <param name="SetupSeconds">u2u / d2d: the top-20 lists under the model, measured on
/// <see cref="SetupUsers"/> users and scaled to all of them (each user's list is independent of the others').</param>
/// <param name="StepsPerEpoch">Training methods: optimiser steps in one epoch, for the epoch's time at <see cref="SecondsPerStep"/>.</param>
/// <param name="GpuPeakBytes">On a GPU: the most memory in use on it (<see cref="GpuPeak"/>).</param>
public sealed record ScaleFigures(string Model, string Method, int Steps, double SecondsPerStep, double SetupSeconds, int SetupUsers,
    double EvaluationSeconds, double AttackSeconds, long PeakBytes, string? Error = null, long StepsPerEpoch = 0, long? GpuPeakBytes = null);
