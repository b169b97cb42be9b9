namespace Unlearning.Training;

/// <summary>The loss became NaN or infinite: the cell fails naming where, instead of writing NaN into the tables.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
