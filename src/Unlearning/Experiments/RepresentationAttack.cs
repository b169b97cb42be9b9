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
    public static ViewAttack Run(AttackView view, UserLabels labels, ExperimentProfile profile, int seed, Action<TrainingProgress> report, CancellationToken ct,
        IReadOnlyCollection<string>? attackers = null)
    {
        var (values, rows, dim) = NpyFile.Read(view.Path);
        labels.RequireRows(rows, view.Path);
        return new ViewAttack(view, dim, rows, CellRunner.Attack(seed, profile, labels, values, dim, report, ct, attackers));
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
