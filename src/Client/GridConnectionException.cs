namespace Unlearning.Client;

/// <summary>The cluster named by --cluster / UNLEARN_CLUSTER could not be reached.</summary>
public sealed class GridConnectionException(string message, Exception inner) : Exception(message, inner);
