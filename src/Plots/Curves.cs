using ScottPlot;
using Unlearning.Experiments;

namespace Unlearning.Plots;

/// <summary>A cell's history: its training loss and HR@10 / NDCG@10 per epoch (the chosen epoch
/// marked), or its unlearning loss terms and HR@10 / NDCG@10 per checkpoint.</summary>
public static class Curves
{
    public static void SaveTraining(string path, IReadOnlyList<EpochSummary> epochs, int? bestEpoch, string title)
    {
        if (epochs.Count == 0) throw new ArgumentException("no epochs to draw");
        var figure = new Panels($"{title}: training", 2, columns: 2);
        // Epochs counted from 1, as the logs and the checkpoints name them.
        double[] x = epochs.Select(e => (double)e.Epoch + 1).ToArray();
        Line(figure[0], x, epochs.Select(e => e.Loss));
        Axes(figure[0], "epoch", "training loss");
        Line(figure[1], x, epochs.Select(e => e.Hr10), "HR@10 (test)");
        Line(figure[1], x, epochs.Select(e => e.Ndcg10), "NDCG@10 (test)");
        if (epochs.All(e => e.ValidationHr10 is not null))
            Line(figure[1], x, epochs.Select(e => e.ValidationHr10!.Value), "HR@10 (validation, chooses the epoch)");
        if (bestEpoch is { } best)
        {
            var chosen = figure[1].Add.VerticalLine(best + 1, 1, Colors.Gray, LinePattern.Dashed);
            chosen.LegendText = $"chosen epoch {best + 1}";
        }
        Axes(figure[1], "epoch", "HR@10 / NDCG@10");
        figure[1].ShowLegend(Edge.Bottom);
        figure.Save(path, panelWidth: 420, panelHeight: 320);
    }

    public static void SaveUnlearning(string path, IReadOnlyList<StepSummary> steps, string title)
    {
        if (steps.Count == 0) throw new ArgumentException("no checkpoints to draw");
        var figure = new Panels($"{title}: unlearning", 4, columns: 4);
        double[] x = steps.Select(s => (double)s.Step).ToArray();
        Line(figure[0], x, steps.Select(s => s.Loss));
        Axes(figure[0], "step", "loss = distinguishability + λ ranking");
        Line(figure[1], x, steps.Select(s => s.Distinguishability));
        Axes(figure[1], "step", "distinguishability");
        Line(figure[2], x, steps.Select(s => s.Regularisation));
        Axes(figure[2], "step", "ranking regularisation (unweighted)");
        Line(figure[3], x, steps.Select(s => s.Hr10), "HR@10");
        Line(figure[3], x, steps.Select(s => s.Ndcg10), "NDCG@10");
        Axes(figure[3], "step", "HR@10 / NDCG@10 (test)");
        figure[3].ShowLegend(Edge.Bottom);
        figure.Save(path, panelWidth: 320, panelHeight: 280);
    }

    private static void Line(Plot plot, double[] x, IEnumerable<double> y, string? label = null)
    {
        var line = plot.Add.Scatter(x, y.ToArray());
        if (label is not null) line.LegendText = label;
        line.MarkerSize = 4;
    }

    private static void Axes(Plot plot, string x, string y)
    {
        plot.XLabel(x, 12);
        plot.YLabel(y, 12);
    }
}
