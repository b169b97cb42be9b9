using Unlearning.Data;
using Unlearning.Training;

namespace Unlearning.Experiments;

/// <summary>
/// Failures of a cell whose message says all there is, naming the file, line, setting or value:
/// bad input, a damaged stored input, diverged training, a missing original, a failed download.
/// They are reported in their own words, without a type name or a stack trace; anything else is a
/// bug, reported with both.
/// </summary>
public static class ExplainedFailure
{
    public static bool Is(Exception e) =>
        e is DataFormatException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
            or TrainingDivergedException or MissingOriginalException or DataFetchException;

    /// <summary>The text a cell's status or a command shows for <paramref name="e"/>.</summary>
    public static string Describe(Exception e) => Is(e) ? e.Message : $"{e.GetType().Name}: {e.Message}";
}
