using Unlearning.Experiments;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Unlearning.Catalog;
using Unlearning.Storage;
using Unlearning.Training;
using Unlearning.Util;

namespace Unlearning.Grains;

/// <summary>
/// For control-plane benchmarks only (<c>Cells__Engine=simulated</c>): holds its device slot for
/// <see cref="CellExecutorOptions.SimulatedSeconds"/> (with jitter), reports progress like a real
/// cell, and stores a small result artifact, computing nothing. Its values are made up; every
/// summary says <see cref="Device"/>, and a report of such cells says "simulated" on every table.
/// Its results live under keys no real cell can have (a hash of the cell's name, not of its config).
/// </summary>
public sealed class SimulatedCellEngine(string artifacts, double seconds, double jitter) : ICellEngine
{
    /// <summary>A folder in the store's root with one file per computed (not reused) cell, holding "cell TAB run",
    /// so that a benchmark can see a cell computed twice. A file each, not lines appended to one file:
    /// appends from many threads of several silos to one file can lose lines.</summary>
    public const string RunsFolder = "simulated-runs";

    /// <summary>The cells computed under <paramref name="artifacts"/>, one entry per computation.</summary>
    public static IReadOnlyList<string> Computed(string artifacts)
    {
        var folder = Path.Combine(artifacts, RunsFolder);
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder).Select(f => File.ReadAllText(f).Split('\t')[0])] : [];
    }

    private readonly DirectoryArtifactStore store = new(artifacts);

    /// <summary>The device every simulated summary names.</summary>
    public const string Device = "simulated";

    private const int Steps = 10;

    public CellOutcome Run(CellRequest request, string device, Action<TrainingProgress> progress, CancellationToken ct)
    {
        var key = KeyOf(request.Cell);
        if (store.Read(key, ArtifactNames.Result) is { State: ArtifactState.Verified, Path: { } stored })
            return new CellOutcome(SummaryOf(request.Cell, 0), stored, Reused: true, WallSeconds: 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var total = TimeSpan.FromSeconds(seconds * (1 + jitter * (2 * Unit(request.Cell, 0) - 1)));
        for (int step = 1; step <= Steps; step++)
        {
            if (ct.WaitHandle.WaitOne(total / Steps)) ct.ThrowIfCancellationRequested();
            progress(new TrainingProgress("simulated", step, Steps, double.NaN, clock.Elapsed, total - clock.Elapsed));
        }
        var wall = clock.Elapsed.TotalSeconds;
        var summary = SummaryOf(request.Cell, wall);
        var path = store.Write(key, ArtifactNames.Result, temp =>
            File.WriteAllText(temp, JsonSerializer.Serialize(new { engine = Device, cell = request.Cell.ToString(), run = request.RunId, seconds = wall, summary })));
        Directory.CreateDirectory(Path.Combine(artifacts, RunsFolder));
        File.WriteAllText(Path.Combine(artifacts, RunsFolder, $"{key}-{Guid.NewGuid():N}"), $"{request.Cell}\t{request.RunId}");
        return new CellOutcome(summary, path, Reused: false, wall);
    }

    /// <summary>The store key of a simulated cell: a hash of its name under a prefix no config hash is computed from.</summary>
    public static string KeyOf(CellSpec cell) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"simulated engine\n{cell}")));

    private static CellSummary SummaryOf(CellSpec cell, double wall)
    {
        var recommendation = Reporting.GridReport.Table1Metrics.Select((m, i) => (m, v: 0.1 + 0.5 * Unit(cell, 1 + i))).ToDictionary(p => p.m, p => p.v);
        var attacks = Registry.ProtocolAttackers.Select((a, i) => (a.Label, auc: 0.5 + 0.3 * Unit(cell, 10 + i)))
            .ToDictionary(p => p.Label, p => new AttackSummary(p.auc, p.auc, p.auc, p.auc, p.auc - 0.5));
        return new CellSummary(recommendation, attacks, wall, wall, Device);
    }

    /// <summary>A number in [0, 1) fixed by the cell and the stream.</summary>
    private static double Unit(CellSpec cell, int stream) =>
        DerivedSeed.Of(StableHash(cell.ToString()), stream) / (double)int.MaxValue;

    private static int StableHash(string text) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
