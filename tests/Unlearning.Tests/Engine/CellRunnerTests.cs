using Unlearning.Tests.Shared;
using Unlearning.Models;
using Unlearning.Util;
using Unlearning.Attack;
using Unlearning.Data;
using Unlearning.Experiments;
using Unlearning.Metrics;
using Unlearning.Reporting;
using Unlearning.Storage;
using Unlearning.Tests.Behaviour;
using Unlearning.Tests.Models;

namespace Unlearning.Tests.Engine;

/// <summary>End-to-end cells on the synthetic-small dataset with the tiny profile.</summary>
public class CellRunnerTests : IDisposable
{
    private readonly TempFolder _temp = new("cells-");
    private string _out => _temp.Path;

    private DirectoryArtifactStore Store => new(_out);

    private CellRunner Runner(List<string>? log = null) =>
        new(new EngineSettings { DataDir = _out, OutDir = _out, Device = "cpu" }, log: m => log?.Add(m));

    [Fact]
    public void D2DCellTrainsTheOriginalFirstWritesArtifactsAndReusesIt()
    {
        var log = new List<string>();
        var runner = Runner(log);
        var d2d = runner.Run(new CellSpec("synthetic-small", "ncf", "d2d", "tiny", 7));

        Assert.False(d2d.OriginalReused);
        Assert.NotNull(d2d.OriginalConfigHash);
        Assert.True(File.Exists(d2d.ModelPath));
        var (values, rows, cols) = NpyFile.Read(d2d.EmbeddingsPath);
        Assert.Equal((d2d.DatasetSummary.Users, 32), (rows, cols));
        Assert.Equal(rows * cols, values.Length);
        Assert.Equal(["MLP", "Tree"], d2d.Attacks.Select(a => a.Attacker));
        Assert.All(d2d.Attacks, a => Assert.InRange(a.Mean.Auc, 0, 1));
        Assert.Equal([10, 20], d2d.UnlearningCheckpoints.Select(c => c.Step));
        Assert.Equal("step", d2d.Timing.Unit);
        Assert.True(d2d.Timing.MethodSeconds > 0);
        Assert.InRange(d2d.Metric("hr@10"), 0, 1);
        Assert.True(d2d.ProfileDeviatesFromPaper);

        var stored = CellResult.Load(d2d.ResultPath);
        Assert.Equal(d2d.ConfigHash, stored.ConfigHash);
        Assert.Equal(d2d.Metric("ndcg@10"), stored.Metric("ndcg@10"));

        // u2u of the same dataset and model reuses the stored original.
        var u2u = runner.Run(new CellSpec("synthetic-small", "ncf", "u2u", "tiny", 7));
        Assert.True(u2u.OriginalReused);
        Assert.Equal(d2d.OriginalConfigHash, u2u.OriginalConfigHash);

        var report = CellReport.Render(u2u);
        Assert.Contains("U2U-R", report);
        Assert.Contains("deviates", report);
    }

    [Fact]
    public void SameSeedGivesTheSameNumbersAndAnotherSeedDoesNot()
    {
        var a = Runner().Run(new CellSpec("synthetic-small", "lightgcn", "original", "tiny", 3));
        var again = new CellRunner(new EngineSettings { DataDir = _out, OutDir = Path.Combine(_out, "second"), Device = "cpu" })
            .Run(new CellSpec("synthetic-small", "lightgcn", "original", "tiny", 3));
        var other = Runner().Run(new CellSpec("synthetic-small", "lightgcn", "original", "tiny", 4));
        Assert.Equal(a.Recommendation, again.Recommendation);
        Assert.Equal(a.Attacks.Select(x => x.Mean), again.Attacks.Select(x => x.Mean));
        Assert.Equal(a.ConfigHash, again.ConfigHash);
        Assert.NotEqual(a.ConfigHash, other.ConfigHash);
        Assert.NotEqual(a.Epochs.Select(e => e.Loss), other.Epochs.Select(e => e.Loss));
    }

    [Fact]
    public void ConfigHashChangesWithEveryPartOfTheConfiguration()
    {
        var spec = new CellSpec("synthetic-small", "ncf", "retrain", "tiny", 1);
        var profile = ExperimentProfile.Get("tiny");
        var hash = CellRunner.ConfigHash(spec, profile, "data");
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, CellRunner.ConfigHash(spec with { }, ExperimentProfile.Get("tiny"), "data"));
        Assert.NotEqual(hash, CellRunner.ConfigHash(spec, profile, "data", CellRunner.EngineRevision + 1));
        // Only cells of an attribute with more than two groups changed with the multi-class attack.
        Assert.Equal(hash, CellRunner.ConfigHash(spec, profile, "data", groups: 2));
        Assert.NotEqual(hash, CellRunner.ConfigHash(spec, profile, "data", groups: 3));
        Assert.NotEqual(hash, CellRunner.ConfigHash(spec with { Seed = 2 }, profile, "data"));
        Assert.NotEqual(hash, CellRunner.ConfigHash(spec, profile with { Training = profile.Training with { Epochs = 3 } }, "data"));
        Assert.NotEqual(hash, CellRunner.ConfigHash(spec, profile, "other data"));
    }

    /// <summary>The paper's cells keep their identity when options are added at their defaults (a
    /// day-long LFM-2B result stays valid): the config and dataset hashes of an ML-100K cell stored
    /// by the D2D-R target sweep of 2026-12-03 (docs/figures/d2d-sweep-ml100k-20261203).</summary>
    [Fact]
    public void ThePaperProfilesConfigHashIsUnchanged()
    {
        var spec = new CellSpec("ml-100k", "lightgcn", "original", "paper", 2023);
        Assert.Equal("56e6075844dc26ac619f9ef94577961c97323d9f603a35c5c7080d1c71e2d37e",
            CellRunner.ConfigHash(spec, ExperimentProfile.Get("paper"), "10c4cb6993a11dd4d553df1d3ab999f55cec84345149dca7c34bcc7a5cd5a114"));
    }

    /// <summary>A reused result is the stored one (a value planted in result.json comes back), and a
    /// stored result whose config hash differs (another engine revision) is computed again.</summary>
    [Fact]
    public void ReuseReturnsTheStoredResultAndRecomputesOneOfAnotherConfiguration()
    {
        var runner = Runner();
        var spec = new CellSpec("synthetic-small", "ncf", "retrain", "tiny", 1);
        var first = runner.Run(spec);
        Store.Write(first.ConfigHash, ArtifactNames.Result, (first with { Recommendation = new(first.Recommendation) { ["hr@10"] = 0.123456 } }).Save);

        var (reused, wasReused) = runner.RunOrReuse(spec);
        Assert.True(wasReused);
        Assert.Equal(0.123456, reused.Metric("hr@10"));

        Store.Write(first.ConfigHash, ArtifactNames.Result,
            (first with { ConfigHash = CellRunner.ConfigHash(spec.Validate(), ExperimentProfile.Get("tiny"), first.DatasetHash, CellRunner.EngineRevision - 1) }).Save);
        var (recomputed, recomputedReused) = runner.RunOrReuse(spec);
        Assert.False(recomputedReused);
        Assert.Equal(first.ConfigHash, recomputed.ConfigHash);
        Assert.Equal(first.Metric("hr@10"), recomputed.Metric("hr@10"));
        Assert.True(recomputed.StartedAt > first.FinishedAt);
    }

    /// <summary>A result, model or embeddings file changed or cut short after it was stored fails its
    /// checksum: the cell is computed again (same numbers, the engine is deterministic), never read.</summary>
    [Theory]
    [InlineData(ArtifactNames.Result, false)]
    [InlineData(ArtifactNames.Model, true)]
    [InlineData(ArtifactNames.Embeddings, true)]
    public void ADamagedArtifactIsComputedAgainNotUsed(string name, bool truncate)
    {
        var log = new List<string>();
        var runner = Runner(log);
        var spec = new CellSpec("synthetic-small", "ncf", "original", "tiny", 2);
        var first = runner.Run(spec);
        var path = Store.Read(first.ConfigHash, name).Path!;
        var bytes = File.ReadAllBytes(path);
        if (truncate) bytes = bytes[..(bytes.Length / 2)];
        else bytes[bytes.Length / 2] ^= 0x20;
        File.WriteAllBytes(path, bytes);
        Assert.Equal(ArtifactState.Corrupt, Store.Read(first.ConfigHash, name).State);

        var (again, reused) = runner.RunOrReuse(spec);
        Assert.False(reused);
        Assert.Contains(log, l => l.Contains("not usable") && l.Contains("checksum"));
        Assert.Equal(first.Recommendation, again.Recommendation);
        Assert.Equal(ArtifactState.Verified, Store.Read(first.ConfigHash, name).State);
        Assert.True(runner.RunOrReuse(spec).Reused);
    }

    /// <summary>u2u starts from the original's stored model.bin: weights changed in that file after
    /// the original finished are the ones the u2u model carries (the engine is deterministic, so
    /// training the original again would give the untouched weights instead).</summary>
    [Theory]
    [InlineData("ncf")]
    [InlineData("lightgcn")]
    public void DependentsUnlearnTheStoredOriginalWeights(string kind)
    {
        var runner = Runner();
        var original = runner.Run(new CellSpec("synthetic-small", kind, "original", "tiny", 5));
        var data = runner.LoadData("synthetic-small", ExperimentProfile.Get("tiny"));
        using (var tampered = TrainingTests.Create(kind, data, 5))
        {
            tampered.Load(original.ModelPath);
            using (TorchSharp.torch.no_grad())
                foreach (var p in tampered.TrainableParameters) p.mul_(Unlearning.Util.Scalars.Of(1.5));
            Store.Write(original.ConfigHash, ArtifactNames.Model, tampered.Save);
        }
        using var expected = TrainingTests.Create(kind, data, 5);
        expected.Load(original.ModelPath);

        var u2u = runner.Run(new CellSpec("synthetic-small", kind, "u2u", "tiny", 5));
        Assert.True(u2u.OriginalReused);
        using var unlearned = TrainingTests.Create(kind, data, 5);
        unlearned.Load(u2u.ModelPath);
        foreach (var (stored, after) in expected.TrainableParameters.Zip(unlearned.TrainableParameters))
        {
            bool attacked = ReferenceEquals(stored, expected.AttackedUserEmbedding);
            Assert.Equal(!attacked, ModelTests.Same(stored, after));
        }
    }

    /// <summary>What result.json reports is what its stored artifacts give when evaluated and attacked again.</summary>
    [Theory]
    [InlineData("ncf", "d2d")]
    [InlineData("lightgcn", "adv")]
    public void StoredArtifactsReproduceTheReportedNumbers(string kind, string method)
    {
        var runner = Runner();
        var result = runner.Run(new CellSpec("synthetic-small", kind, method, "tiny", 6));
        var profile = ExperimentProfile.Get("tiny");
        var data = runner.LoadData("synthetic-small", profile);
        using var model = TrainingTests.Create(kind, data, 99);
        model.Load(result.ModelPath);
        using var evaluator = new RecommendationEvaluator(data, TorchSharp.torch.CPU);
        Assert.Equal(result.Recommendation, CellResult.Flatten(evaluator.Evaluate(model)));

        var (embeddings, rows, cols) = NpyFile.Read(result.EmbeddingsPath);
        Assert.Equal(data.NumUsers, rows);
        Assert.Equal(Leakage.Embeddings(model), embeddings);
        var options = profile.Attack with { Seed = 6 };
        IAttacker[] attackers = [new MlpAttacker((MlpAttackerOptions)profile.Section("mlp_attacker")), new TreeAttacker((TreeAttackerOptions)profile.Section("tree_attacker"))];
        var again = attackers.Select(a => AttackEvaluator.Evaluate(a, embeddings, cols, data.UserGroup, data.PositiveGroup, options));
        Assert.Equal(result.Attacks.Select(a => (a.Attacker, a.Mean)), again.Select(a => (a.Attacker, a.Mean)));

        // The labels and the full representation stored beside them: the users' groups, and what
        // the model holds about each user (NCF: both user tables; LightGCN: the propagated embedding).
        var labels = UserLabels.Read(result.UserGroupsPath!);
        Assert.Equal(data.UserGroup, labels.Group);
        Assert.Equal(data.GroupValues, labels.Values);
        var (full, fullRows, fullCols) = NpyFile.Read(result.RepresentationPath!);
        Assert.Equal(data.NumUsers, fullRows);
        using var expected = model.FullUserRepresentation();
        Assert.Equal(kind == "ncf" ? cols + ((NeuMF)model).Options.MlpEmbeddingDim : cols, fullCols);
        Assert.Equal(TensorValues.Read(expected), full);
        if (kind == "lightgcn") Assert.NotEqual(embeddings, full);
        else Assert.Equal(embeddings, Enumerable.Range(0, rows).SelectMany(u => full.Skip(u * fullCols).Take(cols)));
    }

    [Theory]
    [InlineData("ncf", "adv")]
    [InlineData("lightgcn", "u2u")]
    public void EveryMethodRunsForBothModels(string model, string method)
    {
        var result = Runner().Run(new CellSpec("synthetic-small", model, method, "tiny", 2));
        Assert.Equal(model == "ncf" ? 32 : 64, NpyFile.Read(result.EmbeddingsPath).Cols);
        Assert.Equal(2, result.Attacks.Count);
    }

    [Fact]
    public void BadCellNamesGiveClearErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => Runner().Run(new CellSpec("synthetic-small", "svd", "d2d", "tiny")));
        Assert.Contains("'svd'", e.Message);
        e = Assert.Throws<ArgumentException>(() => Runner().Run(new CellSpec("synthetic-small", "ncf", "forget", "tiny")));
        Assert.Contains("'forget'", e.Message);
    }

    /// <summary>A group too small for the attack's folds fails the cell before any training, naming the value.</summary>
    [Fact]
    public void AGroupSmallerThanTheFoldsFailsBeforeTraining()
    {
        var folder = Path.Combine(_out, "few");
        Directory.CreateDirectory(folder);
        // 30 users of group a, 2 of group b, each with 12 items.
        File.WriteAllLines(Path.Combine(folder, "interactions.csv"), Enumerable.Range(0, 32).SelectMany(u => Enumerable.Range(0, 12).Select(i => $"{u},{(u * 7 + i) % 200},{i}")));
        File.WriteAllLines(Path.Combine(folder, "attributes.csv"), Enumerable.Range(0, 32).Select(u => $"{u},{(u < 30 ? "a" : "b")}"));
        var log = new List<string>();
        var e = Assert.Throws<ArgumentException>(() => Runner(log).Run(new CellSpec("few", "ncf", "original", "tiny;data.min_interactions=1")));
        Assert.Contains("few: attribute value 'b' has 2 users after filtering, fewer than the attack's 3 folds (attack.folds)", e.Message);
        Assert.Empty(Directory.GetFiles(_out, "result.json", SearchOption.AllDirectories));
        Assert.DoesNotContain(log, l => l.Contains("epoch"));
    }

    /// <summary>An attribute of three values: every method runs, each attacker is multi-class (a
    /// one-vs-rest AUC per group, leakage the largest deviation of one), and the report says so.</summary>
    [Fact]
    public void EveryMethodRunsOnAnAttributeOfThreeValues()
    {
        var folder = Path.Combine(_out, "three");
        Directory.CreateDirectory(folder);
        // 60 users in groups a, b, c; each group mostly picks items from its own third of 150 items.
        var rng = new Random(3);
        File.WriteAllLines(Path.Combine(folder, "interactions.csv"), Enumerable.Range(0, 60).SelectMany(u =>
            Enumerable.Range(0, 40).Select(_ => (u % 3 * 50 + rng.Next(rng.NextDouble() < 0.7 ? 50 : 150)) % 150).Distinct().Take(14)
                .Select((item, t) => $"{u},{item},{t}")));
        File.WriteAllLines(Path.Combine(folder, "attributes.csv"), Enumerable.Range(0, 60).Select(u => $"{u},{"abc"[u % 3]}"));
        var runner = Runner();
        foreach (var method in new[] { "original", "retrain", "adv", "d2d", "u2u" })
        {
            var result = runner.Run(new CellSpec("three", "ncf", method, "tiny;data.min_interactions=1", 1));
            Assert.Equal(["a", "b", "c"], result.DatasetSummary.Groups.Keys.Order());
            foreach (var attack in result.Attacks)
            {
                Assert.Equal(3, attack.Mean.GroupAuc!.Count);
                Assert.Equal(attack.Mean.GroupAuc.Max(a => Math.Abs(a - 0.5)), attack.Mean.Leakage, 12);
                Assert.Equal(attack.Mean.GroupAuc.Average(), attack.Mean.Auc, 12);
                Assert.Equal(60, attack.BalancedUsers);
            }
            var stored = CellResult.Load(result.ResultPath);
            Assert.Equal(result.Attacks[0].Mean.GroupAuc, stored.Attacks[0].Mean.GroupAuc);
            Assert.Contains("3 groups: the attackers are multi-class", CellReport.Render(stored));
        }
    }

    [Fact]
    public void MissingDatasetFilesNameThePath()
    {
        var e = Assert.ThrowsAny<Exception>(() => Runner().Run(new CellSpec("ml-1m", "ncf", "original", "tiny")));
        Assert.Contains("ml-1m", e.Message);
        Assert.True(e is DataFormatException or FileNotFoundException or DirectoryNotFoundException, e.GetType().Name);
    }

    /// <summary>With data.validation_split the best epoch is the one with the best validation HR@10,
    /// and Table 1 gives that epoch's test metrics; the paper's selection would have taken the best
    /// test HR@10 instead.</summary>
    [Fact]
    public void AValidationSplitChoosesTheEpochOnValidation()
    {
        // A learning rate that overfits within three epochs, and a seed whose validation and test
        // splits prefer different epochs (validation: the second, test: the first).
        const string settings = "data.validation_split=true;training.epochs=3;training.learning_rate=0.01";
        var result = Runner().Run(new CellSpec("synthetic-small", "ncf", "original", $"tiny;{settings}", 1));
        Assert.Equal(3, result.Epochs.Count);
        Assert.All(result.Epochs, e => Assert.NotNull(e.ValidationHr10));
        var onValidation = result.Epochs.First(e => e.ValidationHr10 == result.Epochs.Max(x => x.ValidationHr10));
        var onTest = result.Epochs.First(e => e.Hr10 == result.Epochs.Max(x => x.Hr10));
        Assert.NotEqual(onTest.Epoch, onValidation.Epoch);
        Assert.Equal(onValidation.Epoch, result.BestEpoch);
        Assert.Equal(onValidation.Hr10, result.Metric("hr@10"), 12);
        Assert.Contains("data.validation_split=true (paper false)", result.DifferencesFromPaper);

        // The paper's protocol selects on the test split.
        var plain = Runner().Run(new CellSpec("synthetic-small", "ncf", "original", "tiny;training.epochs=3;training.learning_rate=0.01", 1));
        Assert.All(plain.Epochs, e => Assert.Null(e.ValidationHr10));
        Assert.Equal(plain.Epochs.Max(e => e.Hr10), plain.Metric("hr@10"), 12);
    }

    public void Dispose() => _temp.Dispose();
}
