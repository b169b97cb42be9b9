using Unlearning.Experiments;
using System.Diagnostics;
using System.Globalization;
using Unlearning.Attack;
using Unlearning.Grains;
using Unlearning.Reporting;

namespace Unlearning.Bench;

/// <summary>
/// What the client and the grid grain spend on a large sweep before and after its cells run: the
/// cells of <c>grid ml-100k --sweep unlearning.trade_off=v1,...,vN</c> (both models, every method), their
/// inputs and priorities (the grid grain's), the schedule of <c>--plan</c> on 8 slots, and the report
/// (Markdown, CSV, LaTeX) of a grid whose every cell finished. The report's values are placeholders,
/// the same for every cell: only its cost is measured, never a number of it.
///   dotnet run -c Release --project bench/Unlearning.Bench -- sweep [--values 2500]
/// </summary>
public static class SweepCost
{
    public static int Run(string[] args)
    {
        int values = 2500;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--values" && i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out values) && values >= 1) continue;
            Console.Error.WriteLine($"error: bad argument '{args[i]}' (sweep [--values N], N at least 1)");
            return 2;
        }
        var sweep = $"unlearning.trade_off={string.Join(',', Enumerable.Range(1, values).Select(v => $"{v}e-7"))}";
        var clock = Stopwatch.StartNew();
        double Lap()
        {
            double seconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            return seconds;
        }
        var cells = GridPlan.Cells(["ml-100k"], GridPlan.All, GridPlan.All, "paper", 1, dataDir: null, [sweep]);
        double plan = Lap();
        var withInputs = GridPlan.WithInputs(cells);
        double inputs = Lap();
        CellCostModel.Priorities(withInputs);
        double priorities = Lap();
        var schedule = GridSchedule.Simulate(cells, slots: 8);
        _ = schedule.CriticalPathSeconds;
        double simulate = Lap();
        var placeholder = new ReportValues(new Dictionary<string, double> { ["ndcg@5"] = 0.3, ["hr@5"] = 0.4, ["ndcg@10"] = 0.35, ["hr@10"] = 0.5 },
            new Dictionary<string, ClassificationMetrics> { ["MLP"] = new(0.6, 0.6, 0.6, 0.62), ["Tree"] = new(0.55, 0.55, 0.55, 0.58) }, 10);
        var report = new GridReport(withInputs.Select(c => new ReportCell(c, placeholder)).ToList());
        long chars = report.Markdown().Length + report.Csv().Length + report.Latex().Length;
        double tables = Lap();
        Console.WriteLine($"sweep of {values} values: {withInputs.Count} cells; cells {plan:F2} s, inputs {inputs:F2} s, priorities {priorities:F2} s, " +
                          $"--plan schedule on 8 slots {simulate:F2} s, report of every cell {tables:F2} s ({chars / 1e6:F1} M characters)");
        return 0;
    }
}
