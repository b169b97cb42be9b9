namespace Unlearning.Training;

/// <summary>Distinguishability losses of post-training unlearning (protocol.md section 4).</summary>
public enum UnlearningLoss { UserToUser, DistributionToDistribution }
