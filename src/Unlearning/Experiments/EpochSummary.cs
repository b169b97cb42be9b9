namespace Unlearning.Experiments;

/// <summary>One training epoch: its loss, and HR@10 / NDCG@10 on the test split and, where the data has one, on the validation split.</summary>
public sealed record EpochSummary(int Epoch, double Loss, double TrainSeconds, double Hr10, double Ndcg10, double? ValidationHr10 = null, double? ValidationNdcg10 = null);
