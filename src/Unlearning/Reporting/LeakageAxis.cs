namespace Unlearning.Reporting;

/// <summary>The leakage the utility/privacy plot draws against HR@10 (<c>report --leakage</c>): each
/// attacker's of Table 3, one panel each (the default), or the strongest of the cells' attack ladders, one panel.</summary>
public enum LeakageAxis
{
    Attackers,
    Strongest,
}

public static class LeakageAxes
{
    /// <summary>The option's values, the default first.</summary>
    public static readonly string[] Names = ["attackers", "strongest"];

    /// <summary>The axis a value of <paramref name="option"/> names; throws naming the option and the value.</summary>
    public static LeakageAxis Parse(string value, string option = "--leakage") =>
        Array.IndexOf(Names, value.Trim().ToLowerInvariant()) is var i and >= 0 ? (LeakageAxis)i
        : throw new ArgumentException($"{option} must be {string.Join(" or ", Names)}, got '{value}'");
}
