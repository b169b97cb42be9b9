using System.Globalization;

namespace Unlearning.Client;

/// <summary>A duration as a person reads it, with its units: "45 s", "12 min 05 s", "3 h 05 min", "27 d 15 h".</summary>
public static class HumanTime
{
    public static string Format(double seconds) => Format(TimeSpan.FromSeconds(Math.Round(Math.Max(0, seconds))));

    public static string Format(TimeSpan t) =>
        t.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalDays} d {t.Hours} h")
        : t.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{t.Hours} h {t.Minutes:00} min")
        : t.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{t.Minutes} min {t.Seconds:00} s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Seconds} s");
}
