namespace Unlearning.Experiments;

/// <summary>A u2u / d2d cell of a grid found no original model in the artifact store.</summary>
public sealed class MissingOriginalException(string message) : Exception(message);
