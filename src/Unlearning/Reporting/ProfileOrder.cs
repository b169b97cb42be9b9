using System.Globalization;

namespace Unlearning.Reporting;

/// <summary>
/// The order of profile expressions wherever cells or rows are listed by profile (the live view, the
/// report's tables): token by token, a number (<c>8.03E-06</c>, <c>1e-4</c>, <c>-2</c>, <c>10</c>) against
/// a number by its value (culture-invariant), any other character ordinally, so that a sweep's values
/// come in numeric order (<c>8.03E-06</c> &lt; <c>8.5E-05</c> &lt; <c>1e-4</c>; <c>0.1</c> &lt; <c>0.5</c> &lt;
/// <c>10</c>) and not as text. A number ranks against another character as the character '0' would;
/// numbers of equal value written differently are told apart by their text only where nothing else
/// differs, so the order is total and consistent with equality.
/// </summary>
public sealed class ProfileOrder : IComparer<string>
{
    public static ProfileOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int i = 0, j = 0, tie = 0;
        while (i < x.Length && j < y.Length)
        {
            int nx = NumberLength(x, i), ny = NumberLength(y, j);
            if (nx > 0 && ny > 0)
            {
                var a = x.AsSpan(i, nx);
                var b = y.AsSpan(j, ny);
                double va = double.Parse(a, NumberStyles.Float, CultureInfo.InvariantCulture);
                double vb = double.Parse(b, NumberStyles.Float, CultureInfo.InvariantCulture);
                int byValue = va.CompareTo(vb);
                if (byValue != 0) return byValue;
                if (tie == 0) tie = a.SequenceCompareTo(b);
                i += nx;
                j += ny;
                continue;
            }
            // A number ranks as '0' against a character that starts none (no digit does).
            char cx = nx > 0 ? '0' : x[i], cy = ny > 0 ? '0' : y[j];
            if (cx != cy) return cx.CompareTo(cy);
            i += nx > 0 ? nx : 1;
            j += ny > 0 ? ny : 1;
        }
        int byLength = (x.Length - i).CompareTo(y.Length - j);
        return byLength != 0 ? byLength : tie;
    }

    /// <summary>The length of the number that starts at <paramref name="at"/> (digits with an optional
    /// sign where no letter, digit, '_' or '.' precedes it, an optional fraction and exponent), 0 where none starts.</summary>
    internal static int NumberLength(string s, int at)
    {
        int k = at;
        if ((s[k] == '-' || s[k] == '+') && k + 1 < s.Length && char.IsAsciiDigit(s[k + 1]) &&
            (k == 0 || !(char.IsAsciiLetterOrDigit(s[k - 1]) || s[k - 1] == '_' || s[k - 1] == '.')))
            k++;
        if (!char.IsAsciiDigit(s[k])) return 0;
        // A digit inside a word ("lfm2b", "mlp_layers2") is still a number: the word's letters before it matched already.
        while (k < s.Length && char.IsAsciiDigit(s[k])) k++;
        if (k + 1 < s.Length && s[k] == '.' && char.IsAsciiDigit(s[k + 1]))
        {
            k++;
            while (k < s.Length && char.IsAsciiDigit(s[k])) k++;
        }
        if (k + 1 < s.Length && (s[k] == 'e' || s[k] == 'E'))
        {
            int e = k + 1;
            if ((s[e] == '-' || s[e] == '+') && e + 1 < s.Length) e++;
            if (char.IsAsciiDigit(s[e]))
            {
                k = e;
                while (k < s.Length && char.IsAsciiDigit(s[k])) k++;
            }
        }
        return k - at;
    }
}
