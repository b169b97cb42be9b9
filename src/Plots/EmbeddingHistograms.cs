using ScottPlot;
using Unlearning.Attack;

namespace Unlearning.Plots;

/// <summary>
/// One histogram per dimension of a user embedding, one curve per attribute value (the public
/// reference's notebook of gender-grouped histograms): where the curves of a dimension differ, that
/// dimension tells the groups apart. Each panel's title gives the standardised mean difference
/// between the largest group and the positive (smallest) one.
/// </summary>
public static class EmbeddingHistograms
{
    public const int Bins = 30;

    public static void Save(string path, float[] values, int rows, int dim, UserLabels labels, string title)
    {
        labels.RequireRows(rows, $"the embedding ({rows} x {dim})");
        // d compares two groups; with more than two the title names which.
        string difference = labels.Values.Length > 2 ? $" (d: {labels.Values[labels.Positive]} against {labels.Values[0]})" : "";
        var figure = new Panels($"{title}: user embedding by dimension and {string.Join(" / ", labels.Values)}{difference}", dim, columns: 8);
        var palette = new ScottPlot.Palettes.Category10();
        for (int d = 0; d < dim; d++)
        {
            var column = new double[rows];
            for (int u = 0; u < rows; u++) column[u] = values[(long)u * dim + d];
            double min = column.Min(), max = column.Max();
            if (max <= min) max = min + 1e-6;
            var plot = figure[d];
            for (int g = 0; g < labels.Values.Length; g++)
            {
                var histogram = ScottPlot.Statistics.Histogram.WithBinCount(Bins, min, max);
                histogram.AddRange(Enumerable.Range(0, rows).Where(u => labels.Group[u] == g).Select(u => column[u]));
                var centres = histogram.Edges.Zip(histogram.Edges.Skip(1), (a, b) => (a + b) / 2).ToArray();
                var line = plot.Add.ScatterLine(centres, histogram.GetProbability());
                line.Color = palette.GetColor(g);
                line.LineWidth = 1.5f;
                if (d == 0) line.LegendText = labels.Values[g];
            }
            plot.Title($"dim {d}: d = {StandardisedDifference(column, labels):F2}", 11);
            plot.Axes.Left.TickLabelStyle.IsVisible = false;
        }
        figure[0].ShowLegend(Alignment.UpperRight);
        figure.Save(path, panelWidth: 220, panelHeight: 160);
    }

    /// <summary>(mean of the positive group - mean of group 0) / pooled standard deviation.</summary>
    public static double StandardisedDifference(double[] column, UserLabels labels)
    {
        var a = column.Where((_, u) => labels.Group[u] == 0).ToArray();
        var b = column.Where((_, u) => labels.Group[u] == labels.Positive).ToArray();
        if (a.Length < 2 || b.Length < 2) return double.NaN;
        double ma = a.Average(), mb = b.Average();
        double va = a.Sum(x => (x - ma) * (x - ma)) / (a.Length - 1), vb = b.Sum(x => (x - mb) * (x - mb)) / (b.Length - 1);
        double pooled = Math.Sqrt(((a.Length - 1) * va + (b.Length - 1) * vb) / (a.Length + b.Length - 2));
        return pooled > 0 ? (mb - ma) / pooled : 0;
    }
}
