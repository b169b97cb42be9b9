using System.Diagnostics;
using System.Text.Json.Serialization;
using Unlearning.Attack;
using Unlearning.Training;

namespace Unlearning.Experiments;

/// <summary>One rung of the attack ladder: an attacker on one view of the user representation under one
/// threat model, with its metrics over the folds (<see cref="AttackReport"/>: means, deviations, folds,
/// single-class folds).</summary>
/// <param name="View"><see cref="RepresentationAttack.Attacked"/> or <see cref="RepresentationAttack.Full"/> (or a file's name).</param>
/// <param name="Threat">One of <see cref="AttackThreat.All"/>.</param>
public sealed record LadderEntry(string View, string Threat, AttackReport Report)
{
    [JsonIgnore] public string Attacker => Report.Attacker;

    /// <summary>|mean AUC - 0.5| (the largest group's for more than two groups).</summary>
    [JsonIgnore] public double Leakage => Report.Mean.Leakage;

    /// <summary>Who reached it, for tables: "kNN, full, stale".</summary>
    [JsonIgnore] public string Name => NameOf(Attacker, View, Threat);

    public static string NameOf(string attacker, string view, string threat) => $"{attacker}, {view}, {threat}";
}

/// <summary>
/// The attack ladder of a user representation (issue 25): every attacker of the catalog on each view
/// (the attacked table and the full representation, once where they are the same) under each threat
/// model that applies (paper; stale where the Original's same view is known and is not the cell's own;
/// disclosed), and the strongest of them: the largest mean leakage. Stored in result.json
/// (<see cref="CellResult.Ladder"/>) by a cell run with <c>attack.ladder=true</c>, printed by
/// <c>attack --cell DIR --ladder</c>.
/// </summary>
/// <param name="Entries">The rungs, by view, attacker (the catalog's order) and threat.</param>
/// <param name="Notes">What the ladder left out and why (no stale threat for an Original; a full view identical to the attacked one).</param>
public sealed record AttackLadder(List<LadderEntry> Entries, List<string> Notes)
{
    /// <summary>The rung with the largest mean leakage (NaN never counts); null for an empty ladder.
    /// Ties (equal leakage to the last bit) go to the rung that assumes least: the earlier threat
    /// (paper, stale, disclosed), then the attacked view before the full one, then the earlier attacker
    /// of the catalog (MLP, Tree, Logistic, kNN); names this engine does not know come last, by name.
    /// Written into result.json for readers of the file; computed from the entries, never read back.</summary>
    public LadderEntry? Strongest => Pick(Entries);

    /// <summary>See <see cref="Strongest"/>.</summary>
    public static LadderEntry? Pick(IEnumerable<LadderEntry> entries) => entries
        .Where(e => !double.IsNaN(e.Leakage))
        .OrderByDescending(e => e.Leakage)
        .ThenBy(e => TieRank(e.Attacker, e.View, e.Threat))
        .ThenBy(e => e.Name, StringComparer.Ordinal)
        .FirstOrDefault();

    /// <summary>The order of the tie rule (<see cref="Strongest"/>): threat, then view, then attacker; lower first.</summary>
    public static (int Threat, int View, int Attacker) TieRank(string attacker, string view, string threat) =>
        (Rank(AttackThreat.All, threat), Rank(Views, view), Catalog.Registry.Attackers.Order(attacker));

    private static readonly string[] Views = [RepresentationAttack.Attacked, RepresentationAttack.Full];

    private static int Rank(string[] order, string name) => Array.IndexOf(order, name) is var i and >= 0 ? i : order.Length;

    /// <summary>Why a cell of <paramref name="method"/> has no stale rung of its own: the Original's stale
    /// attacker is the paper's; a method that trains on its own (Retrain, Adv-InT) starts from no Original.</summary>
    public static string NoStale(string method) =>
        Catalog.Registry.IsStartedFrom(method)
            ? $"no {AttackThreat.Stale} rung: on the Original a {AttackThreat.Stale} attacker is the {AttackThreat.Paper} one"
            : $"no {AttackThreat.Stale} rung: a {method} cell starts from no Original (`attack --cell DIR --ladder --original ORIGINAL_DIR` adds it)";

    /// <summary>A view to climb: its rows (the labels' users in order) and, for the stale threat, the
    /// Original's rows of the same view (null: no stale rung for this view).</summary>
    public sealed record View(string Name, float[] Values, int Dim, float[]? Original = null);

    /// <summary>Climbs the ladder. Rungs in <paramref name="known"/> (the protocol's attack: the same
    /// attacker, view, threat, settings and seed give the same numbers) are taken as they are, not run again.</summary>
    /// <param name="attackers">Catalog names to run; null: every attacker of the catalog.</param>
    /// <param name="notes">What the caller already left out (a stale threat it could not serve), kept first.</param>
    public static AttackLadder Run(int seed, ExperimentProfile profile, UserLabels labels, IReadOnlyList<View> views, IEnumerable<string> notes,
        IReadOnlyList<LadderEntry> known, Action<TrainingProgress> report, CancellationToken ct, IReadOnlyCollection<string>? attackers = null)
    {
        var kept = new List<string>(notes);
        var climbed = new List<View>();
        foreach (var view in views)
        {
            if (climbed.FirstOrDefault(v => v.Dim == view.Dim && v.Values.AsSpan().SequenceEqual(view.Values)) is { } same)
            {
                kept.Add($"the {view.Name} view holds the same values as the {same.Name} view: climbed once, as {same.Name}");
                continue;
            }
            climbed.Add(view);
        }
        var chosen = CellRunner.Attackers(profile, attackers?.Count > 0 ? attackers : Catalog.Registry.Attackers.Names);
        var rungs = climbed.SelectMany(v => chosen.SelectMany(a => AttackThreat.All
            .Where(t => t != AttackThreat.Stale || v.Original is not null)
            .Select(t => (View: v, Attacker: a, Threat: t)))).ToList();
        var entries = new List<LadderEntry>();
        var clock = Stopwatch.StartNew();
        foreach (var (view, attacker, threat) in rungs)
        {
            ct.ThrowIfCancellationRequested();
            var entry = known.FirstOrDefault(k => k.View == view.Name && k.Threat == threat && k.Attacker == attacker.Name);
            if (entry is null)
            {
                var options = profile.Attack with { Seed = seed, Threat = threat };
                entry = new LadderEntry(view.Name, threat, AttackEvaluator.Evaluate(attacker, view.Values, view.Dim, labels.Group, labels.Positive, options,
                    threat == AttackThreat.Stale ? view.Original : null, labels.Requested));
            }
            entries.Add(entry);
            report(new TrainingProgress("ladder", entries.Count, rungs.Count, 0, clock.Elapsed, null,
                $"{entry.Name}: AUC {entry.Report.Mean.Auc:F4} leakage {entry.Leakage:F4}"));
        }
        return new AttackLadder(entries, kept);
    }
}
