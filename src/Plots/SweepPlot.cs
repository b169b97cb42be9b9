using System.Globalization;
using ScottPlot;
using Unlearning.Catalog;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Plots;

/// <summary>
/// A sweep over one numeric setting, drawn against it: for one model and dataset, HR@10 against the
/// swept value (one line per method) and, one panel per attacker, its leakage |AUC - 0.5| against it;
/// points at the seed means with their 95 % intervals as error bars where the report has them. A
/// method that does not use the setting (Original and Retrain under an unlearning setting) is a
/// dashed horizontal line, the reference the others are judged against.
/// </summary>
public static class SweepPlot
{
    /// <summary>The one setting a run's cells differ in, and its value on each point that uses it.</summary>
    /// <param name="Key">The swept key ("unlearning.trade_off").</param>
    /// <param name="Values">The swept values, in ascending order.</param>
    public sealed record Sweep(string Key, IReadOnlyList<double> Values)
    {
        /// <summary>Draw the swept axis on a log scale: every value above 0, the largest at least 100 times the smallest.</summary>
        public bool LogAxis => Values.Count > 1 && Values[0] > 0 && Values[^1] / Values[0] >= 100;

        /// <summary>The swept value of a cell, null where its method does not use the setting.</summary>
        public double? ValueOf(CellSpec cell) => Uses(cell, Key) ? Number(ProfileSettings.ValueOf(cell.Profile, Key)) : null;
    }

    /// <summary>The sweep the cells make, or null where they are not one: their profiles share one base
    /// profile and differ in exactly one setting (among the cells whose method uses it), whose values are
    /// all numbers, at least two of them.</summary>
    public static Sweep? Of(IReadOnlyList<CellSpec> cells)
    {
        var profiles = cells.Select(c => c.Profile).Distinct().ToList();
        if (profiles.Count < 2 || profiles.Select(BaseOf).Distinct().Count() != 1) return null;
        try
        {
            var varied = profiles.SelectMany(p => ProfileSettings.KeysOf(p)).Distinct()
                .Where(k => cells.Where(c => Uses(c, k)).Select(c => ProfileSettings.ValueOf(c.Profile, k)).Distinct().Count() > 1)
                .ToList();
            if (varied.Count != 1) return null;
            var values = cells.Where(c => Uses(c, varied[0])).Select(c => Number(ProfileSettings.ValueOf(c.Profile, varied[0]))).ToList();
            if (values.Any(v => v is null)) return null;
            var distinct = values.Select(v => v!.Value).Distinct().Order().ToList();
            return distinct.Count < 2 ? null : new Sweep(varied[0], distinct);
        }
        catch (ArgumentException)
        {
            // A profile this engine no longer knows (a stored result of an older one): not a sweep it can read.
            return null;
        }
    }

    private static string BaseOf(string profile) => profile.Split(ProfileSettings.Separator)[0];

    /// <summary>A method that trains does not use the unlearning settings (its cell drops them).</summary>
    private static bool Uses(CellSpec cell, string key) => cell.NeedsOriginal || !key.StartsWith("unlearning.", StringComparison.Ordinal);

    private static double? Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    private static (Color Color, MarkerShape Shape) Style(MethodDescriptor method) =>
        (Color.FromHex(method.Style.Colour), Enum.Parse<MarkerShape>(method.Style.Marker));

    /// <param name="points">The points of one model and dataset (and seed, without seed means).</param>
    /// <param name="leakages">What each leakage of the points is, in its order ("MLP attacker": the report's <see cref="GridReport.LeakageLabels"/>).</param>
    public static void Save(string path, IReadOnlyList<UtilityPrivacyPoint> points, IReadOnlyList<string> leakages, Sweep sweep, string title)
    {
        if (points.Count == 0) throw new ArgumentException("no points to draw");
        string name = sweep.Key[(sweep.Key.IndexOf('.') + 1)..];
        var figure = new Panels($"{title}: against {sweep.Key}", 1 + leakages.Count, columns: Math.Min(3, 1 + leakages.Count));
        Draw(figure[0], points, sweep, p => p.Hr10, p => p.Hr10HalfWidth);
        figure[0].YLabel("HR@10", 13);
        for (int a = 0; a < leakages.Count; a++)
        {
            int attacker = a;
            Draw(figure[1 + a], points, sweep, p => p.Leakage[attacker], p => p.LeakageHalfWidth?[attacker]);
            figure[1 + a].YLabel($"{leakages[a]}: leakage |AUC - 0.5|", 13);
        }
        for (int i = 0; i < figure.Count; i++)
        {
            var plot = figure[i];
            plot.XLabel(sweep.LogAxis ? $"{name} (log scale)" : name, 13);
            if (sweep.LogAxis) plot.Axes.Bottom.TickGenerator = LogTicks();
            plot.ShowLegend(Edge.Bottom);
            plot.Axes.Margins(left: 0.08, right: 0.08, bottom: 0.1, top: 0.1);
        }
        figure.Save(path, panelWidth: 480, panelHeight: 400);
    }

    private static void Draw(Plot plot, IReadOnlyList<UtilityPrivacyPoint> points, Sweep sweep, Func<UtilityPrivacyPoint, double> y, Func<UtilityPrivacyPoint, double?> halfWidth)
    {
        double X(double v) => sweep.LogAxis ? Math.Log10(v) : v;
        double left = X(sweep.Values[0]), right = X(sweep.Values[^1]);
        foreach (var method in points.Select(p => Registry.Methods.Get(p.Cell.Method)).Distinct().OrderBy(m => Registry.Methods.Order(m.Name)))
        {
            var (color, shape) = Style(method);
            var ofMethod = points.Where(p => p.Cell.Method == method.Name && !double.IsNaN(y(p))).ToList();
            if (ofMethod.Count == 0) continue;
            var along = ofMethod.Where(p => sweep.ValueOf(p.Cell) is not null).OrderBy(p => sweep.ValueOf(p.Cell)).ToList();
            if (along.Count == 0)
            {
                // A method that does not use the setting: one value across the sweep.
                double level = ofMethod.Average(y);
                var reference = plot.Add.Line(left, level, right, level);
                reference.Color = color;
                reference.LinePattern = LinePattern.Dashed;
                reference.LineWidth = 1.5f;
                reference.LegendText = $"{method.Label} (does not use it)";
                continue;
            }
            double[] xs = along.Select(p => X(sweep.ValueOf(p.Cell)!.Value)).ToArray(), ys = along.Select(y).ToArray();
            if (along.Any(p => halfWidth(p) is not null))
            {
                var bars = plot.Add.ErrorBar(xs, ys, along.Select(p => halfWidth(p) ?? 0).ToArray());
                bars.Color = color.WithAlpha(0.5);
            }
            var line = plot.Add.Scatter(xs, ys, color);
            line.MarkerShape = shape;
            line.MarkerSize = 8;
            line.LineWidth = 1.5f;
            line.LegendText = method.Label;
        }
    }

    /// <summary>Ticks at the powers of ten of a log10 axis, labelled with their values ("1E-05").</summary>
    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => Math.Pow(10, v).ToString("G3", CultureInfo.InvariantCulture),
    };
}
