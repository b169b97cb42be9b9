namespace Unlearning.Training;

/// <summary>Distinguishability losses of post-training unlearning (protocol.md section 4).</summary>
/// <remarks><c>CodingRate</c> is beyond the paper (<see cref="Losses.CodingRate"/>).</remarks>
public enum UnlearningLoss { UserToUser, DistributionToDistribution, CodingRate }
