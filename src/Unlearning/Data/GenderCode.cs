namespace Unlearning.Data;

internal static class GenderCode
{
    /// <summary>MovieLens: exactly "M" or "F".</summary>
    public static string ParseUpper(TextRecords source, ReadOnlySpan<char> field)
    {
        field = field.Trim();
        if (field.SequenceEqual("M")) return "M";
        if (field.SequenceEqual("F")) return "F";
        throw source.Error(field.ToString(), $"unknown gender code '{field}' (expected M or F)");
    }

    /// <summary>LFM-2B: "m" or "f" (any case); "n" or empty means not given, i.e. no attribute.</summary>
    public static string? ParseLower(TextRecords source, ReadOnlySpan<char> field)
    {
        field = field.Trim();
        if (field.Equals("m", StringComparison.OrdinalIgnoreCase)) return "m";
        if (field.Equals("f", StringComparison.OrdinalIgnoreCase)) return "f";
        if (field.IsEmpty || field.Equals("n", StringComparison.OrdinalIgnoreCase)) return null;
        throw source.Error(field.ToString(), $"unknown gender code '{field}' (expected m or f; n or empty = not given)");
    }
}
