namespace Unlearning.Experiments;

public sealed record StepSummary(int Step, double Loss, double Distinguishability, double Regularisation, double Hr10, double Ndcg10);
