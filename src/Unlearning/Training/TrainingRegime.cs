namespace Unlearning.Training;

/// <summary>In-training regimes of protocol.md section 3.</summary>
public enum TrainingRegime { Original, Retrain, Adversarial }
