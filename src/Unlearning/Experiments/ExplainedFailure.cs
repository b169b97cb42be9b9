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
    /// <summary>Input a user can correct: a data file, a name, a setting, a path. A null argument or an
    /// index out of range is a bug, whatever its base type.</summary>
    public static bool IsBadInput(Exception e) =>
        e is DataFormatException or FileNotFoundException or DirectoryNotFoundException ||
        e is ArgumentException and not (ArgumentNullException or ArgumentOutOfRangeException);

    public static bool Is(Exception e) =>
        IsBadInput(e) || e is InvalidDataException or TrainingDivergedException or MissingOriginalException or DataFetchException;

    /// <summary>The text a cell's status or a command shows for <paramref name="e"/>.</summary>
    public static string Describe(Exception e) => Is(e) ? e.Message : $"{e.GetType().Name}: {e.Message}";
}
