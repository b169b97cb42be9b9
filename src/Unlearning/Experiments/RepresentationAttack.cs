using Unlearning.Attack;
using Unlearning.Training;

namespace Unlearning.Experiments;

/// <summary>
/// The cell's attackers (protocol section 6) on any stored user representation with its labels: a
/// finished cell's attacked embedding (the paper's view, Table 3) or its full representation (what
/// the recommender holds about each user in all), or a .npy file from anywhere.
/// </summary>
public static class RepresentationAttack
{
    public const string Attacked = "attacked", Full = "full", Both = "both";

    /// <summary>The views of a finished cell: "attacked", "full" or "both".</summary>
    public static IReadOnlyList<AttackView> ViewsOf(CellResult result, string view)
    {
        if (view is not (Attacked or Full or Both))
            throw new ArgumentException($"unknown view '{view}' (expected {Attacked}, {Full} or {Both})");
        var views = new List<AttackView>();
        var model = Catalog.Registry.Models.Get(result.Cell.Model);
        if (view is Attacked or Both)
            views.Add(new AttackView(Attacked, model.AttackedView, result.EmbeddingsPath));
        if (view is Full or Both)
            views.Add(new AttackView(Full, model.FullView,
                result.RepresentationPath ?? throw new InvalidDataException(
                    $"{Path.GetDirectoryName(result.EmbeddingsPath)}: this cell was stored before full representations were kept; " +
                    "delete its result.json and run it again for the full view")));
        return views;
    }

    /// <summary>The attackers on one view; the rows of the file are the labels' users in order.</summary>
    /// <param name="attackers">The attackers to run (catalog names); null: the protocol's.</param>
    /// <param name="before">Under the stale threat: the same view of the Original (its rows the same users).</param>
    public static ViewAttack Run(AttackView view, UserLabels labels, ExperimentProfile profile, int seed, Action<TrainingProgress> report, CancellationToken ct,
        IReadOnlyCollection<string>? attackers = null, AttackView? before = null)
    {
        var (values, rows, dim) = Read(view, labels);
        float[]? earlier = null;
        if (profile.Attack.Threat == AttackThreat.Stale)
        {
            if (before is null) throw new ArgumentException($"attack.threat={AttackThreat.Stale} needs the Original's {view.Name} view to train on");
            earlier = ReadBefore(before, view, rows, dim);
        }
        return new ViewAttack(view, dim, rows, CellRunner.Attack(seed, profile, labels, values, dim, report, ct, attackers, earlier));
    }

    /// <summary>The attack ladder (<see cref="AttackLadder"/>) on stored views: every attacker (or
    /// <paramref name="attackers"/>) on each view under each threat, the stale one where
    /// <paramref name="before"/> has the Original's same view.</summary>
    /// <param name="before">The Original's view matching each of <paramref name="views"/>, null where none.</param>
    /// <param name="notes">What the ladder leaves out and why.</param>
    public static AttackLadder Ladder(IReadOnlyList<AttackView> views, IReadOnlyList<AttackView?> before, UserLabels labels, ExperimentProfile profile, int seed,
        IEnumerable<string> notes, Action<TrainingProgress> report, CancellationToken ct, IReadOnlyCollection<string>? attackers = null)
    {
        var rungs = views.Select((view, i) =>
        {
            var (values, rows, dim) = Read(view, labels);
            return new AttackLadder.View(view.Name, values, dim, before[i] is { } b ? ReadBefore(b, view, rows, dim) : null);
        }).ToList();
        return AttackLadder.Run(seed, profile, labels, rungs, notes, [], report, ct, attackers);
    }

    /// <summary>A view's rows, one per label.</summary>
    private static (float[] Values, int Rows, int Dim) Read(AttackView view, UserLabels labels)
    {
        var (values, rows, dim) = NpyFile.Read(view.Path);
        labels.RequireRows(rows, view.Path);
        return (values, rows, dim);
    }

    /// <summary>The Original's rows of the same view: the same users, the same width.</summary>
    private static float[] ReadBefore(AttackView before, AttackView view, int rows, int dim)
    {
        var (values, beforeRows, beforeDim) = NpyFile.Read(before.Path);
        if ((beforeRows, beforeDim) != (rows, dim))
            throw new InvalidDataException($"{before.Path}: {beforeRows} x {beforeDim}, but {view.Path} is {rows} x {dim}: not the same users' {view.Name} view");
        return values;
    }

    /// <summary>The Original a stored cell started from, found beside it in its store by the config hash
    /// the cell recorded (ARTIFACTS/cells/&lt;h2&gt;/&lt;hash&gt;/result.json); the cell itself where it is an Original.</summary>
    public static CellResult OriginalOf(CellResult cell, string resultPath)
    {
        if (cell.OriginalConfigHash is not { } hash)
        {
            if (Catalog.Registry.IsStartedFrom(cell.Cell.Method)) return cell;
            throw new ArgumentException($"{resultPath}: a {cell.Cell.Method} cell starts from no Original; give the Original's cell with --original");
        }
        // A cell's folder is STORE/cells/<h2>/<hash>: its store is three folders up.
        var store = new Storage.DirectoryArtifactStore(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(resultPath))!, "..", "..", ".."));
        var path = store.PathOf(hash, Storage.ArtifactNames.Result);
        if (!File.Exists(path))
            throw new FileNotFoundException($"the Original of {resultPath} (config {hash[..12]}) is not beside it at {path}; give it with --original", path);
        return CellResult.LoadBeside(path);
    }

    /// <summary>The sections an attack may change: the attack's own and its attackers' (attack.*,
    /// mlp_attacker.*, tree_attacker.*, ...); anything else describes how the representation was made.</summary>
    private static readonly string[] AttackSections = ["attack", .. Catalog.Registry.Attackers.All.Select(a => a.Options.Name)];

    public static void RequireAttackSettings(IEnumerable<string> keys)
    {
        foreach (var key in keys)
            if (!AttackSections.Any(s => key.StartsWith(s + ".", StringComparison.Ordinal)))
                throw new ArgumentException($"'{key}' is not an attack setting: an attack takes {string.Join(", ", AttackSections.Select(s => s + ".*"))} " +
                                            $"({string.Join(", ", ProfileSettings.Keys.Where(k => AttackSections.Any(s => k.StartsWith(s + ".", StringComparison.Ordinal))))})");
    }
}
