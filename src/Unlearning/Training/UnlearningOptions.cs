using Unlearning.Util;

namespace Unlearning.Training;

/// <summary>Post-training unlearning (protocol.md section 4); defaults are the paper's.</summary>
public sealed record UnlearningOptions : OptionsSection
{
    public int Steps { get; init; } = 500;
    public double LearningRate { get; init; } = 1e-3;
    public int EvaluateEvery { get; init; } = 50;
    public double TradeOff { get; init; } = 1e-6;
    public int TopK { get; init; } = 20;
    public double Margin { get; init; } = 0.05;

    /// <summary>ε of the coding-rate loss (method cr; <see cref="Losses.CodingRate"/>): the distortion the rates allow.</summary>
    public double CodingRateEpsilon { get; init; } = 0.5;

    /// <summary>λ of the coding-rate loss: the weight of keeping all users' rate at the original's.</summary>
    public double CodingRateLambda { get; init; } = 1.0;

    /// <summary>The user representation the distinguishability term is taken on (<see cref="UnlearningTarget"/>):
    /// <c>attacked</c> (the paper's) or <c>full</c>.</summary>
    public string Target { get; init; } = UnlearningTarget.Attacked;

    /// <summary>The share of users who ask for their attribute to be forgotten (<see cref="UnlearningRequests"/>):
    /// 1, the paper's setting, every user; below 1 only the requesters' rows move and the distinguishability
    /// term is taken over the requesters alone (docs/decisions.md says why).</summary>
    public double RequestFraction { get; init; } = 1.0;

    /// <summary>The share of each group's rows the distinguishability term is taken over at each step, drawn
    /// afresh per step (<see cref="TermSample"/>); 1, the paper's, all of them.</summary>
    public double TermSample { get; init; } = 1.0;
}
