using Microsoft.Extensions.Configuration;
using System.CommandLine;
using Unlearning.Data;
using Unlearning.Experiments;
using Unlearning.Grains;
using Unlearning.Storage;

namespace Unlearning.Client;

/// <summary><c>grid</c>: runs dataset x model x method cells on the grid (embedded silo or cluster),
/// shows them live and writes the run file and Tables 1-3 into this client's --out from the statuses
/// the grid sends; <c>grid status</c> re-attaches, <c>grid cancel</c> stops a run.</summary>
public static class GridCommand
{
    public static Command Create()
    {
        var datasets = new Argument<string[]>("datasets") { Description = "all, or dataset names (ml-100k ml-1m lfm-2b lfm-2b-synthetic ml-1m-synthetic synthetic-small ...)", Arity = ArgumentArity.OneOrMore };
        var models = new Option<string>("--models") { Description = "Comma-separated models or all", DefaultValueFactory = _ => "all" };
        var methods = new Option<string>("--methods") { Description = "Comma-separated methods or all", DefaultValueFactory = _ => "all" };
        var profile = new Option<string>("--profile") { Description = "paper, fast or tiny; --set / --config change numbers of it", DefaultValueFactory = _ => "paper" };
        var settings = new CommonOptions.Settings();
        var sweep = new Option<string[]>("--sweep")
        {
            Description = "One cell per value: KEY=V1,V2,... (any --set key; repeat for every combination of several)",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var seeds = new Option<int>("--seeds") { Description = "Number of seeds (2023, 2024, ...)", DefaultValueFactory = _ => 1 };
        var run = new Option<string?>("--run") { Description = "Run id (default: grid-<time>)" };
        var requireGpu = new Option<bool>("--require-gpu") { Description = "Fail cells instead of running them on CPU silos when no silo has a GPU" };
        var plan = new Option<bool>("--plan") { Description = "List the cells, their expected time on the devices the grid would use and the expected wall time; run nothing" };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Serve the embedded silo's Prometheus metrics on this port (/metrics; 0: a free port; on 127.0.0.1 unless Metrics__Address says otherwise); silos of a cluster serve their own (Metrics__Port)" };
        var cluster = ClusterOption();
        var logLevel = CommandLogging.Option();
        var data = CommonOptions.Data();
        var output = CommonOptions.Out("Folder for the run file and report (OUT/runs/<run>) and, on an embedded grid, the artifact store and the prepared-data cache");
        var command = new Command("grid", "Run a grid of cells in parallel (embedded silo, or the cluster's silos) and gather Tables 1-3 into OUT/runs/<run>/report.md, whose path it prints")
        {
            datasets, models, methods, profile, settings.Set, settings.Config, settings.Attribute, sweep, seeds, run, requireGpu, plan, metricsPort, cluster, logLevel, data, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            string outDir = "", dataDir;
            string? clusterAddress;
            List<CellSpec> cells;
            IReadOnlyList<string> dataNotes;
            string runId;
            try
            {
                CommandLogging.Use(parse.GetValue(logLevel));
                dataDir = Path.GetFullPath(parse.GetValue(data)!);
                clusterAddress = GridConnection.ClusterAddress(parse.GetValue(cluster));
                // On a cluster the silos' own data decides; only an embedded grid reads the client's.
                cells = GridPlan.Cells(parse.GetValue(datasets)!, parse.GetValue(models)!, parse.GetValue(methods)!, settings.Profile(parse, parse.GetValue(profile)!), parse.GetValue(seeds),
                    clusterAddress is null ? dataDir : null, parse.GetValue(sweep), settings.Keys(parse));
                dataNotes = clusterAddress is null ? GridData.Check(parse.GetValue(datasets)!, dataDir) : [];
                runId = SafeName.Check(parse.GetValue(run) ?? $"grid-{DateTime.Now:yyyyMMdd-HHmmss}", "run id");
                if (parse.GetValue(metricsPort) is { } port)
                {
                    if (clusterAddress is not null) throw new ArgumentException("--metrics-port is for the embedded silo; the silos of a cluster export their own metrics (Metrics__Port)");
                    if (port is < 0 or > 65535) throw new ArgumentException($"--metrics-port must be a port number (0 for a free one), got {port}");
                    GridConnection.EmbeddedMetricsAddress();
                }
                if (clusterAddress is not null) GridConnection.SiloWait();
                if (!parse.GetValue(plan))
                {
                    outDir = OutputFolder.RequireWritable(parse.GetValue(output)!, "--out");
                    GridRun.RequireNewOrSame(outDir, runId, cells);
                }
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            // Warnings are no part of the result: standard error, before the plan or the run.
            foreach (var note in dataNotes) Console.Error.WriteLine($"warning: {note}");
            if (parse.GetValue(plan))
                return await Plan(cells, clusterAddress, parse.GetValue(requireGpu), ct);
            var request = new GridRequest(runId, cells, new GridSettings(AllowCpu: !parse.GetValue(requireGpu)));
            try
            {
                if (clusterAddress is null) await FetchMissing(cells, dataDir, ct);
                await using var connection = await GridConnection.OpenAsync(clusterAddress, new StorageOptions { Data = dataDir, Artifacts = outDir }, ct, parse.GetValue(metricsPort));
                if (connection.MetricsPort is { } served) Console.Error.WriteLine($"embedded silo metrics: http://localhost:{served}{SiloEndpoints.Metrics}");
                Console.Error.WriteLine(connection.Embedded
                    ? $"run {runId}: {cells.Count} cells on an embedded silo (no cluster configured); artifacts and report under {outDir}"
                    : $"run {runId}: {cells.Count} cells on the cluster; report under {outDir}; Ctrl-C detaches, `grid status {runId}` re-attaches");
                var grid = connection.Client.GetGrain<IGridGrain>(runId);
                await grid.Start(request);
                return await Watch(grid, outDir, runId, connection.Embedded, ct);
            }
            catch (Exception e) when (e is GridConnectionException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Interrupted before the live view: the run may or may not have reached the grid.
                Console.Error.WriteLine($"stopped; if run {runId} reached the cluster it keeps working (`grid status {runId}`)");
                return ExitCodes.Interrupted;
            }
        });
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Cancel());
        return command;
    }

    private static Command Status()
    {
        var run = new Argument<string>("run") { Description = "Run id" };
        var cluster = ClusterOption();
        var logLevel = CommandLogging.Option();
        var output = CommonOptions.Out(RunFolder);
        var status = new Command("status", "Re-attach to a running grid on the cluster, or show a finished run's file") { run, cluster, logLevel, output };
        status.SetAction(async (parse, ct) =>
        {
            var runId = parse.GetValue(run)!;
            var clusterAddress = GridConnection.ClusterAddress(parse.GetValue(cluster));
            // On a cluster the run file is kept current here while it watches; a local one is only read.
            if (!CommandOutcome.TryInputs(() => CommandLogging.Use(parse.GetValue(logLevel)), out _) ||
                !CommandOutcome.TryInputs(() => clusterAddress is null ? Path.GetFullPath(parse.GetValue(output)!) : OutputFolder.RequireWritable(parse.GetValue(output)!, "--out"), out var outDir))
                return ExitCodes.Usage;
            if (clusterAddress is null)
            {
                try
                {
                    var stored = GridRun.Load(outDir, runId);
                    foreach (var c in GridView.Ordered(stored.Cells)) Console.WriteLine(GridView.Line(c, GridView.Several.Of(stored.Cells)));
                    return 0;
                }
                catch (Exception e) when (e is FileNotFoundException or InvalidDataException or ArgumentException)
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    return ExitCodes.Usage;
                }
            }
            return await OnCluster(clusterAddress, runId, async grid => await Watch(grid, outDir, runId, embedded: false, ct), ct);
        });
        return status;
    }

    private static Command Cancel()
    {
        var run = new Argument<string>("run") { Description = "Run id" };
        var cluster = ClusterOption();
        var logLevel = CommandLogging.Option();
        var output = CommonOptions.Out(RunFolder);
        var cancel = new Command("cancel", "Stop a run on the cluster: running cells stop (their slots are freed), the rest fail as cancelled") { run, cluster, logLevel, output };
        cancel.SetAction(async (parse, ct) =>
        {
            var runId = parse.GetValue(run)!;
            var clusterAddress = GridConnection.ClusterAddress(parse.GetValue(cluster));
            if (clusterAddress is null)
            {
                Console.Error.WriteLine("error: grid cancel needs a cluster (--cluster or UNLEARN_CLUSTER); an embedded grid stops with its client (Ctrl-C)");
                return ExitCodes.Usage;
            }
            if (!CommandOutcome.TryInputs(() => CommandLogging.Use(parse.GetValue(logLevel)), out _) ||
                !CommandOutcome.TryInputs(() => OutputFolder.RequireWritable(parse.GetValue(output)!, "--out"), out var outDir))
                return ExitCodes.Usage;
            return await OnCluster(clusterAddress, runId, async grid =>
            {
                var status = await grid.Cancel();
                GridRun.Save(outDir, status);
                foreach (var c in GridView.Ordered(status.Cells)) Console.WriteLine(GridView.Line(c, GridView.Several.Of(status.Cells)));
                Console.Error.WriteLine($"run {runId} cancelled: {status.Count(CellState.Done)} done, {status.Count(CellState.Failed)} failed or cancelled");
                return 0;
            }, ct);
        });
        return cancel;
    }

    private const string RunFolder = "Folder holding the run file OUT/runs/<run>/grid.json (the grid's --out), kept current here";

    /// <summary>Connects, checks that the run exists, and runs <paramref name="action"/> on its grid grain.</summary>
    internal static async Task<int> OnCluster(string clusterAddress, string runId, Func<IGridGrain, Task<int>> action, CancellationToken ct)
    {
        try
        {
            SafeName.Check(runId, "run id");
            await using var connection = await GridConnection.OpenAsync(clusterAddress, new StorageOptions(), ct);
            var grid = connection.Client.GetGrain<IGridGrain>(runId);
            if ((await grid.GetChanges(long.MaxValue)).Total == 0)
            {
                Console.Error.WriteLine($"error: no run '{runId}' on the cluster at {clusterAddress}");
                return ExitCodes.Usage;
            }
            return await action(grid);
        }
        catch (Exception e) when (e is GridConnectionException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    /// <summary>The devices the grid would use: the cluster's silos, or the embedded silo this client would start.</summary>
    private static async Task<int> Plan(List<CellSpec> cells, string? clusterAddress, bool requireGpu, CancellationToken ct)
    {
        List<SiloDevices> silos;
        if (clusterAddress is null)
        {
            var options = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder().Configuration.GetSection("Cells").Get<CellExecutorOptions>() ?? new CellExecutorOptions();
            var hardware = SiloHardware.Detect(options.Validate());
            silos = [new SiloDevices("embedded", hardware.Gpus, hardware.Slots)];
        }
        else
        {
            try
            {
                await using var connection = await GridConnection.OpenAsync(clusterAddress, new StorageOptions(), ct);
                silos = await connection.Client.GetGrain<IClusterDevicesGrain>(0).Get();
            }
            catch (GridConnectionException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
        }
        Console.WriteLine(PlanView.Render(cells, silos, requireGpu));
        return 0;
    }

    private static Option<string?> ClusterOption() => new("--cluster")
    {
        Description = "Cluster to connect to (redis://host:port or unix:/path); default UNLEARN_CLUSTER, or an embedded silo",
    };

    /// <summary>Shows the run until it finishes, keeping OUT/runs/&lt;run&gt;/grid.json current, then
    /// writes the report there: everything comes from the grid's messages, none from the silos' disks.
    /// Each second it asks only for the cells changed since its last look (<see cref="RunWatch"/>).</summary>
    private static async Task<int> Watch(IGridGrain grid, string outDir, string runId, bool embedded, CancellationToken ct)
    {
        GridStatus? status = null;
        var watch = new RunWatch(outDir);
        try
        {
            status = await new GridView().Show(async render =>
            {
                while (true)
                {
                    var current = watch.Merge(await GridUnreachable.Retry(() => grid.GetChanges(watch.Version), ct));
                    if (current.Cells.Count == 0) return current;
                    render(current);
                    if (current.IsFinished) return current;
                    watch.SaveIfDue(current);
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
            });
            if (status.Cells.Count == 0)
            {
                Console.Error.WriteLine($"error: no run '{runId}' on this cluster");
                return ExitCodes.Usage;
            }
        }
        catch (OperationCanceledException)
        {
            watch.SaveLatest();
            Console.Error.WriteLine(embedded
                ? $"stopped; finished cells are kept under {outDir} and a new `grid` run reuses them (interrupted ones resume from their checkpoints)"
                : $"detached; the cluster keeps working. Re-attach with `grid status {runId}`");
            return ExitCodes.Interrupted;
        }
        var seen = DateTimeOffset.Now;
        var reportPath = RunReportWriter.Write(outDir, GridRun.Save(outDir, status), ReportPlotsAppendix.Write());
        Console.Error.WriteLine($"run {runId}: {status.Count(CellState.Done)} done ({status.Cells.Count(c => c.Reused)} reused), {status.Count(CellState.Failed)} failed");
        Console.Error.WriteLine($"timing: {GridTimeline.From(status).Summary()}; this client saw the end {(seen - (status.FinishedAt ?? seen)).TotalSeconds:F1} s after the grid finished");
        // Standard output is the result: where Tables 1-3 are (the live view and logs went to standard error).
        Console.WriteLine($"report: {reportPath}");
        return status.Count(CellState.Failed) == 0 ? ExitCodes.Done : ExitCodes.Failed;
    }

    private static async Task FetchMissing(List<CellSpec> cells, string dataDir, CancellationToken ct)
    {
        foreach (var dataset in cells.Select(c => c.Dataset).Distinct().Where(DataFetcher.CanFetch))
        {
            if (DatasetLoader.RequiredFiles(dataset, dataDir).All(File.Exists)) continue;
            try
            {
                await DataFetcher.FetchAsync(dataset, dataDir, Console.Error.WriteLine, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.Error.WriteLine($"{dataset}: {e.Message} (its cells will fail with the data error)");
            }
        }
    }
}
