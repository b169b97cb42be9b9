using ScottPlot;
using Unlearning.Catalog;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Plots;

/// <summary>
/// The utility/privacy plane of one model on one dataset: HR@10 against each attacker's leakage
/// |AUC - 0.5|, one panel per attacker (or one of the strongest leakage of the cells' attack ladders), one point per method and setting (means over seeds with
/// their 95 % intervals as error bars), Pareto-optimal points ringed. Up and left is better; Original
/// and Retrain are the references a method is judged against.
/// </summary>
public static class ParetoPlot
{
    /// <summary>A method's colour and marker, from its catalog entry.</summary>
    private static (Color Color, MarkerShape Shape) Style(MethodDescriptor method) =>
        (Color.FromHex(method.Style.Colour), Enum.Parse<MarkerShape>(method.Style.Marker));

    /// <param name="points">The points of one model and dataset (and seed, without seed means).</param>
    /// <param name="leakages">What each leakage of the points is, in its order ("MLP attacker": the report's <see cref="GridReport.LeakageLabels"/>).</param>
    public static void Save(string path, IReadOnlyList<UtilityPrivacyPoint> points, IReadOnlyList<string> leakages, string title)
    {
        if (points.Count == 0) throw new ArgumentException("no points to draw");
        var figure = new Panels($"{title}: utility against leakage (up and left is better; ringed: Pareto-optimal)", leakages.Count, columns: Math.Min(2, leakages.Count));
        // The settings the points differ in, named on each unlearning point ("trade_off=0.01").
        var varied = Varied(points.Select(p => p.Cell.Profile).ToList());
        for (int a = 0; a < leakages.Count; a++)
        {
            var plot = figure[a];
            foreach (var method in points.Select(p => Registry.Methods.Get(p.Cell.Method)).Distinct().OrderBy(m => Registry.Methods.Order(m.Name)))
            {
                var ofMethod = points.Where(p => p.Cell.Method == method.Name && !double.IsNaN(p.Leakage[a])).OrderBy(p => p.Leakage[a]).ToList();
                if (ofMethod.Count == 0) continue;
                var (color, shape) = Style(method);
                double[] x = ofMethod.Select(p => p.Leakage[a]).ToArray(), y = ofMethod.Select(p => p.Hr10).ToArray();
                if (ofMethod.Any(p => p.Hr10HalfWidth is not null))
                {
                    double[] xe = ofMethod.Select(p => p.LeakageHalfWidth?[a] ?? 0).ToArray(), ye = ofMethod.Select(p => p.Hr10HalfWidth ?? 0).ToArray();
                    var bars = plot.Add.ErrorBar(x, y, ye);
                    bars.XErrorNegative = xe;
                    bars.XErrorPositive = xe;
                    bars.Color = color.WithAlpha(0.5);
                }
                var markers = plot.Add.Markers(x, y, shape, 9, color);
                markers.LegendText = method.Label;
                foreach (var p in ofMethod)
                {
                    if (p.ParetoOptimal[a]) plot.Add.Marker(p.Leakage[a], p.Hr10, MarkerShape.OpenCircle, 18, color);
                    // The settings a sweep varies are the unlearning's: named on the points of methods that unlearn.
                    if (varied.Count > 0 && method.NeedsOriginal)
                    {
                        var text = plot.Add.Text(Label(p.Cell.Profile, varied), p.Leakage[a], p.Hr10);
                        text.LabelFontSize = 10;
                        text.LabelFontColor = color;
                        text.OffsetX = 8;
                        text.OffsetY = -4;
                    }
                }
            }
            plot.XLabel($"{leakages[a]}: leakage |AUC - 0.5|", 13);
            plot.YLabel("HR@10", 13);
            // Below the plane, where it hides no point; room on the right for the labels.
            plot.ShowLegend(Edge.Bottom);
            plot.Axes.Margins(left: 0.08, right: 0.3, bottom: 0.1, top: 0.1);
        }
        figure.Save(path, panelWidth: 560, panelHeight: 440);
    }

    /// <summary>The settings some profile sets whose values are not the same in all of them (sorted):
    /// one every point shares (<c>attack.ladder=true</c> in a ladder run) names nothing.</summary>
    public static IReadOnlyList<string> Varied(IReadOnlyList<string> profiles) =>
        profiles.SelectMany(ProfileSettings.KeysOf).Distinct().Order(StringComparer.Ordinal)
            .Where(k => profiles.Select(p => ProfileSettings.ValueOf(p, k)).Distinct().Count() > 1).ToList();

    /// <summary>The varied settings a point's profile sets, without their sections ("trade_off=0.01",
    /// "target=full"); "base settings" where it sets none of them (its profile's own values, e.g. the paper's).</summary>
    public static string Label(string profile, IReadOnlyList<string> varied)
    {
        var own = ProfileSettings.KeysOf(profile).Intersect(varied).Order(StringComparer.Ordinal).ToList();
        return own.Count == 0 ? "base settings" : string.Join(", ", own.Select(k => $"{k[(k.IndexOf('.') + 1)..]}={ProfileSettings.ValueOf(profile, k)}"));
    }
}
