using ScottPlot;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Plots;

/// <summary>
/// The utility/privacy plane of one model on one dataset: HR@10 against each attacker's leakage
/// |AUC - 0.5|, one panel per attacker, one point per method and setting (means over seeds with
/// their 95 % intervals as error bars), Pareto-optimal points ringed. Up and left is better; Original
/// and Retrain are the references a method is judged against.
/// </summary>
public static class ParetoPlot
{
    private static readonly Dictionary<string, (Color Color, MarkerShape Shape)> MethodStyle = new()
    {
        ["original"] = (Colors.DarkMagenta, MarkerShape.FilledSquare),
        ["retrain"] = (Colors.Red, MarkerShape.FilledDiamond),
        ["adv"] = (Colors.Orange, MarkerShape.FilledTriangleUp),
        ["u2u"] = (Colors.Green, MarkerShape.FilledCircle),
        ["d2d"] = (Colors.Blue, MarkerShape.FilledCircle),
    };

    /// <param name="points">The points of one model and dataset (and seed, without seed means).</param>
    public static void Save(string path, IReadOnlyList<UtilityPrivacyPoint> points, string title)
    {
        if (points.Count == 0) throw new ArgumentException("no points to draw");
        var figure = new Panels($"{title}: utility against leakage (up and left is better; ringed: Pareto-optimal)", GridReport.Attackers.Length, columns: 2);
        // The settings the points differ in, named on each unlearning point ("trade_off=0.01").
        var varied = points.SelectMany(p => ProfileSettings.KeysOf(p.Cell.Profile)).Distinct().Order(StringComparer.Ordinal).ToList();
        for (int a = 0; a < GridReport.Attackers.Length; a++)
        {
            var plot = figure[a];
            foreach (var method in points.Select(p => p.Cell.Method).Distinct().OrderBy(m => Array.IndexOf(CellSpec.Methods, m)))
            {
                var ofMethod = points.Where(p => p.Cell.Method == method && !double.IsNaN(p.Leakage[a])).OrderBy(p => p.Leakage[a]).ToList();
                if (ofMethod.Count == 0) continue;
                var (color, shape) = MethodStyle.GetValueOrDefault(method, (Colors.Purple, MarkerShape.FilledCircle));
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
                markers.LegendText = TableLabels.Method(method);
                foreach (var p in ofMethod)
                {
                    if (p.ParetoOptimal[a]) plot.Add.Marker(p.Leakage[a], p.Hr10, MarkerShape.OpenCircle, 18, color);
                    if (varied.Count > 0 && p.Cell.Method is "u2u" or "d2d")
                    {
                        var text = plot.Add.Text(Label(p.Cell.Profile, varied), p.Leakage[a], p.Hr10);
                        text.LabelFontSize = 10;
                        text.LabelFontColor = color;
                        text.OffsetX = 8;
                        text.OffsetY = -4;
                    }
                }
            }
            plot.XLabel($"{GridReport.Attackers[a].Attacker} attacker: leakage |AUC - 0.5|", 13);
            plot.YLabel("HR@10", 13);
            // Below the plane, where it hides no point; room on the right for the labels.
            plot.ShowLegend(Edge.Bottom);
            plot.Axes.Margins(left: 0.08, right: 0.3, bottom: 0.1, top: 0.1);
        }
        figure.Save(path, panelWidth: 560, panelHeight: 440);
    }

    /// <summary>A point's values of the varied settings, without their sections: "trade_off=0.01".</summary>
    public static string Label(string profile, IReadOnlyList<string> varied) =>
        string.Join(", ", varied.Select(k => $"{k[(k.IndexOf('.') + 1)..]}={ProfileSettings.ValueOf(profile, k)}"));
}
