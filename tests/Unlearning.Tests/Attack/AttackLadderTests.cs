using Unlearning.Attack;
using Unlearning.Experiments;
using Unlearning.Reporting;
using Unlearning.Tests.Reporting;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Attack;

/// <summary>The attack ladder (issue 25): the strongest rung and its tie rule; a cell that climbs every
/// attacker, view and threat that applies, without changing its Table 3; result.json with and without
/// a ladder; the option in no config hash at its default.</summary>
public sealed class AttackLadderTests
{
    private static readonly ClassificationMetrics None = new(0, 0, 0, 0);

    private static LadderEntry Rung(string attacker, string view, string threat, double auc) =>
        new(view, threat, new AttackReport(attacker, new ClassificationMetrics(0.5, 0.5, 0.5, auc), None, 100, 15, 0));

    [Fact]
    public void TheStrongestIsTheLargestLeakageAndTiesGoToTheRungThatAssumesLeast()
    {
        List<LadderEntry> ladder =
        [
            Rung("MLP", RepresentationAttack.Attacked, AttackThreat.Paper, 0.60),
            Rung("Tree", RepresentationAttack.Attacked, AttackThreat.Paper, 0.55),
            // An AUC below 0.5 leaks as much as its mirror: 0.27 is leakage 0.23, the largest.
            Rung("kNN", RepresentationAttack.Full, AttackThreat.Stale, 0.27),
            Rung("Logistic", RepresentationAttack.Full, AttackThreat.Disclosed, 0.70),
            Rung("MLP", RepresentationAttack.Full, AttackThreat.Disclosed, double.NaN),
        ];
        var strongest = new AttackLadder(ladder, []).Strongest!;
        Assert.Equal("kNN, full, stale", strongest.Name);
        Assert.Equal(0.23, strongest.Leakage, 12);
        Assert.Null(AttackLadder.Pick([Rung("MLP", RepresentationAttack.Attacked, AttackThreat.Paper, double.NaN)]));
        Assert.Null(new AttackLadder([], []).Strongest);

        // Equal leakage (0.25 exactly, on either side of 0.5): the earlier threat, then the attacked view, then the catalog's earlier attacker.
        List<LadderEntry> tied =
        [
            Rung("Tree", RepresentationAttack.Attacked, AttackThreat.Stale, 0.75),
            Rung("MLP", RepresentationAttack.Attacked, AttackThreat.Stale, 0.25),
            Rung("MLP", RepresentationAttack.Full, AttackThreat.Paper, 0.75),
            Rung("kNN", RepresentationAttack.Attacked, AttackThreat.Paper, 0.25),
            Rung("Logistic", RepresentationAttack.Attacked, AttackThreat.Disclosed, 0.75),
        ];
        foreach (var order in new[] { tied, Enumerable.Reverse(tied).ToList() })
        {
            Assert.Equal("kNN, attacked, paper", AttackLadder.Pick(order)!.Name);
            Assert.Equal("MLP, full, paper", AttackLadder.Pick(order.Where(e => e.Attacker != "kNN"))!.Name);
            Assert.Equal("MLP, attacked, stale", AttackLadder.Pick(order.Where(e => e.Threat != AttackThreat.Paper))!.Name);
        }

        // Across seeds: the one rung where all agree, else each with the seeds it won, most first (equal counts in the tie rule's order).
        StrongestAttack Won(string attacker, string view, string threat) => new(0.2, attacker, view, threat);
        Assert.Equal("kNN, full, stale", GridReport.Reached([Won("kNN", "full", "stale"), Won("kNN", "full", "stale")]));
        Assert.Equal("kNN, full, stale in 2 of 3 seeds; MLP, attacked, paper in 1",
            GridReport.Reached([Won("MLP", "attacked", "paper"), Won("kNN", "full", "stale"), Won("kNN", "full", "stale")]));
        Assert.Equal("MLP, attacked, paper in 1 of 2 seeds; kNN, full, stale in 1",
            GridReport.Reached([Won("kNN", "full", "stale"), Won("MLP", "attacked", "paper")]));
        Assert.Null(GridReport.Reached([]));
    }

    /// <summary>A full view that holds the attacked table's very values is climbed once and said so;
    /// without the Original's rows there is no stale rung.</summary>
    [Fact]
    public void AViewIdenticalToTheAttackedOneIsClimbedOnce()
    {
        var (x, groups) = SyntheticEmbeddings.Gaussian(200, 8, shift: 1.0, seed: 6);
        var (other, _) = SyntheticEmbeddings.Gaussian(200, 8, shift: 0.5, seed: 7);
        var labels = new UserLabels(groups, ["m", "f"]);
        var profile = ExperimentProfile.Get("tiny");
        var same = AttackLadder.Run(3, profile, labels, [new(RepresentationAttack.Attacked, x, 8), new(RepresentationAttack.Full, (float[])x.Clone(), 8)],
            [], [], _ => { }, CancellationToken.None, ["logistic"]);
        Assert.Equal(["Logistic, attacked, paper", "Logistic, attacked, disclosed"], same.Entries.Select(e => e.Name));
        Assert.Contains("the full view holds the same values as the attacked view: climbed once", Assert.Single(same.Notes));
        var different = AttackLadder.Run(3, profile, labels, [new(RepresentationAttack.Attacked, x, 8), new(RepresentationAttack.Full, other, 8, Original: x)],
            [], [], _ => { }, CancellationToken.None, ["logistic"]);
        Assert.Equal(["Logistic, attacked, paper", "Logistic, attacked, disclosed", "Logistic, full, paper", "Logistic, full, stale", "Logistic, full, disclosed"],
            different.Entries.Select(e => e.Name));
        Assert.Empty(different.Notes);
    }

    /// <summary>On synthetic-small: a D2D-R cell climbs 4 attackers x 2 views x 3 threats, its Original
    /// and a Retrain no stale rung (each says why); the rungs the protocol's attack already ran are its
    /// own, the others are what the same ladder on the stored files gives; Table 1 and 3 are those of
    /// the same cell without the ladder.</summary>
    [Fact]
    public void ACellClimbsEveryAttackerViewAndThreatThatAppliesAndKeepsItsTable3()
    {
        using var temp = new TempFolder("ladder-");
        var runner = new CellRunner(new EngineSettings { DataDir = temp.Path, OutDir = temp.Path, Device = "cpu" });
        var d2d = runner.Run(new CellSpec("synthetic-small", "ncf", "d2d", "tiny;attack.ladder=true", 5));
        var ladder = d2d.Ladder!;
        string[] attackers = ["MLP", "Tree", "Logistic", "kNN"];
        var expected = new[] { RepresentationAttack.Attacked, RepresentationAttack.Full }
            .SelectMany(v => attackers.SelectMany(a => AttackThreat.All.Select(t => LadderEntry.NameOf(a, v, t)))).ToList();
        Assert.Equal(expected, ladder.Entries.Select(e => e.Name));
        Assert.Empty(ladder.Notes);
        Assert.Same(AttackLadder.Pick(ladder.Entries), ladder.Strongest);
        Assert.NotNull(d2d.Timing.LadderSeconds);
        // The protocol's rungs are its attack's reports, taken as they are (not run again).
        foreach (var report in d2d.Attacks)
            Assert.Same(report, ladder.Entries.Single(e => e.Name == LadderEntry.NameOf(report.Attacker, RepresentationAttack.Attacked, AttackThreat.Paper)).Report);

        // The same ladder on the stored files, nothing reused, gives every rung again.
        var original = runner.Run(d2d.Cell.OriginalCell, reuseFinished: true);
        var views = RepresentationAttack.ViewsOf(d2d, RepresentationAttack.Both);
        var again = RepresentationAttack.Ladder(views, RepresentationAttack.ViewsOf(original, RepresentationAttack.Both).ToList(), UserLabels.Read(d2d.UserGroupsPath!),
            ExperimentProfile.Get(d2d.Cell.Profile), d2d.Cell.Seed, [], _ => { }, CancellationToken.None);
        Assert.Equal(ladder.Entries, again.Entries);

        // The Original (stored, read back from result.json) and a Retrain have no stale rung of their own.
        Assert.Equal(expected.Where(n => !n.EndsWith(AttackThreat.Stale, StringComparison.Ordinal)), original.Ladder!.Entries.Select(e => e.Name));
        Assert.Contains("on the Original a stale attacker is the paper one", Assert.Single(original.Ladder.Notes));
        var retrain = runner.Run(new CellSpec("synthetic-small", "ncf", "retrain", "tiny;attack.ladder=true", 5)).Ladder!;
        Assert.Equal(expected.Where(n => !n.EndsWith(AttackThreat.Stale, StringComparison.Ordinal)), retrain.Entries.Select(e => e.Name));
        Assert.Contains("a retrain cell starts from no Original", Assert.Single(retrain.Notes));

        // The paper's numbers are those of the cell without a ladder.
        var plain = runner.Run(new CellSpec("synthetic-small", "ncf", "d2d", "tiny", 5));
        Assert.Null(plain.Ladder);
        Assert.Null(plain.Timing.LadderSeconds);
        Assert.Equal(plain.Attacks, d2d.Attacks);
        Assert.Equal(plain.Recommendation, d2d.Recommendation);

        var printed = CellReport.Render(d2d);
        Assert.Contains($"Strongest: leakage {ladder.Strongest!.Leakage:F4}", printed);
        Assert.Contains("| full | kNN | stale |", printed);
        Assert.DoesNotContain("Attack ladder", CellReport.Render(plain));
    }

    /// <summary>result.json keeps the ladder and its strongest rung; a result without one has neither
    /// field, and a file written before they existed loads with no ladder.</summary>
    [Fact]
    public void ResultJsonKeepsTheLadderAndOlderFilesLoadWithout()
    {
        using var temp = new TempFolder("ladder-json-");
        var spec = new CellSpec("ml-100k", "ncf", "d2d");
        var plain = GridReportTests.Result(spec, 0.6, 0.7, 10);
        var climbed = plain with
        {
            Ladder = new AttackLadder([Rung("MLP", "attacked", "paper", 0.7), Rung("kNN", "full", "stale", 0.2)], ["a note"]),
            Timing = plain.Timing with { LadderSeconds = 12.5 },
        };
        var path = temp.Sub("climbed.json");
        climbed.Save(path);
        var json = File.ReadAllText(path);
        Assert.Contains("\"Strongest\"", json);
        Assert.Contains("\"LadderSeconds\": 12.5", json);
        var loaded = CellResult.Load(path);
        Assert.Equal(climbed.Ladder.Entries, loaded.Ladder!.Entries);
        Assert.Equal(["a note"], loaded.Ladder.Notes);
        Assert.Equal("kNN, full, stale", loaded.Ladder.Strongest!.Name);
        Assert.Equal(12.5, loaded.Timing.LadderSeconds);
        Assert.Equal("kNN", StrongestAttack.Of(loaded.Ladder)!.Attacker);

        plain.Save(temp.Sub("plain.json"));
        var plainJson = File.ReadAllText(temp.Sub("plain.json"));
        Assert.DoesNotContain("Ladder", plainJson);
        // A result.json of the engine before the ladder: the same text, read back with none.
        var old = CellResult.Load(temp.Sub("plain.json"));
        Assert.Null(old.Ladder);
        Assert.Null(old.Timing.LadderSeconds);
        Assert.Null(ReportValues.From(old).Strongest);
    }

    /// <summary><c>attack.ladder</c> at its default (false) enters no config hash, the paper profile's
    /// included (Data/pinned-config-hashes.tsv pins the stored cells'); set, it names another cell.</summary>
    [Fact]
    public void TheLadderOptionChangesNoHashAtItsDefault()
    {
        Assert.Contains("attack.ladder", CellHash.Extensions);
        Assert.Equal("paper", ProfileSettings.Compose("paper", ["attack.ladder=false"]));
        var spec = new CellSpec("ml-100k", "ncf", "d2d").Validate();
        var paper = CellRunner.ConfigHash(spec, ExperimentProfile.Get("paper"), "data");
        Assert.DoesNotContain("ladder", CellHash.Canonical(spec, ExperimentProfile.Get("paper"), "data", CellRunner.EngineRevision));
        Assert.Equal(paper, CellRunner.ConfigHash(spec, ExperimentProfile.Get(ProfileSettings.Compose("paper", ["attack.ladder=false"])), "data"));
        var ladder = spec with { Profile = ProfileSettings.Compose("paper", ["attack.ladder=true"]) };
        Assert.Equal("paper;attack.ladder=true", ladder.Profile);
        Assert.NotEqual(paper, CellRunner.ConfigHash(ladder, ExperimentProfile.Get(ladder.Profile), "data"));
    }
}
