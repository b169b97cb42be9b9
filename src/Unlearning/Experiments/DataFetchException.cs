namespace Unlearning.Experiments;

/// <summary>A dataset could not be downloaded; the message says where to put the files by hand.</summary>
public sealed class DataFetchException(string message, Exception? inner = null) : Exception(message, inner);
