using Unlearning.Tests.Shared;
using Unlearning.Experiments;
using Unlearning.Models;
using Unlearning.Storage;
using Unlearning.Tests.Behaviour;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Tests.Engine;

/// <summary>A computation stopped at any point and continued from its checkpoint ends exactly where
/// an undisturbed one does: same losses, same weights, same Tables 1 and 3, same embeddings.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly TempFolder _temp = new("ckpt-");
    private string _out => _temp.Path;

    /// <summary>Keeps states in memory, as the artifact store does on disk (through the file format).</summary>
    private sealed class Saved<T>(Func<string, T> read, Action<T, string> write, string dir) : ICheckpoints<T> where T : class
    {
        private readonly string _path = Path.Combine(dir, $"{Guid.NewGuid():N}.ckpt");
        public int Saves { get; private set; }
        public T? Latest() => File.Exists(_path) ? read(_path) : null;
        public void Save(T state) { Directory.CreateDirectory(dir); write(state, _path); Saves++; }
    }

    [Theory]
    [InlineData("ncf", TrainingRegime.Retrain, 100)]
    [InlineData("lightgcn", TrainingRegime.Adversarial, 300)]
    [InlineData("ncf", TrainingRegime.Original, 207)]
    public void TrainingCancelledMidEpochResumesToTheUndisturbedRun(string kind, TrainingRegime regime, int stopAfterStep)
    {
        var data = EngineTestData.Create();
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, RetrainEvery = 7 };
        (TrainingOutcome, float[][], List<double>) Run(ICheckpoints<TrainingState>? checkpoints, Func<long, bool>? stop)
        {
            using var model = TrainingTests.Create(kind, data, 3);
            using var cts = new CancellationTokenSource();
            var losses = new List<double>();
            var trainer = new PointwiseTrainer(data, options, regime);
            var outcome = trainer.Train(model, 8, new Generator(8), ct: cts.Token, checkpoints: checkpoints,
                onStep: s => { losses.Add(s.Loss); if (stop?.Invoke(s.Step) == true) cts.Cancel(); });
            return (outcome, model.TrainableParameters.Select(Unlearning.Util.TensorValues.Read).ToArray(), losses);
        }
        var (expected, expectedWeights, expectedLosses) = Run(null, null);

        var saved = new Saved<TrainingState>(TrainingState.Read, (s, p) => s.Write(p), _out);
        Assert.Throws<OperationCanceledException>(() => Run(saved, step => step == stopAfterStep));
        var state = saved.Latest()!;
        // Cancellation is seen every 64 batches (207 per epoch): the state is at the next such boundary.
        Assert.InRange(state.Step, stopAfterStep + 1, stopAfterStep + 64);
        var (resumed, resumedWeights, resumedLosses) = Run(saved, null);

        Assert.Equal(expectedLosses.Skip((int)state.Step), resumedLosses);
        Assert.Equal(expected.Epochs.Select(e => e.Loss), resumed.Epochs.Select(e => e.Loss));
        Assert.Equal(expected.BestEpoch, resumed.BestEpoch);
        Assert.Equal(expected.BestMetrics.HitRate, resumed.BestMetrics.HitRate);
        Assert.Equal(expected.Steps, resumed.Steps);
        Assert.Equal(expectedWeights, resumedWeights);
    }

    [Fact]
    public void TrainingSavesAfterEveryEpoch()
    {
        var data = EngineTestData.Create();
        using var model = TrainingTests.Create("ncf", data, 3);
        var saved = new Saved<TrainingState>(TrainingState.Read, (s, p) => s.Write(p), _out);
        new PointwiseTrainer(data, new TrainingOptions { Epochs = 3, BatchSize = 256 }, TrainingRegime.Original).Train(model, 1, new Generator(1), checkpoints: saved);
        Assert.Equal(3, saved.Saves);
        var last = saved.Latest()!;
        Assert.Equal((3, 0), (last.Epoch, last.NextBatch));
        Assert.Equal(3, last.Epochs.Count);
    }

    /// <summary>Under unlearning.target=full every moved table (NCF's two user tables) and its
    /// optimiser moments are in the state; all parameters are compared, moved or not.</summary>
    [Theory]
    [InlineData("ncf", UnlearningLoss.DistributionToDistribution, UnlearningTarget.Attacked)]
    [InlineData("lightgcn", UnlearningLoss.UserToUser, UnlearningTarget.Attacked)]
    [InlineData("ncf", UnlearningLoss.UserToUser, UnlearningTarget.Full)]
    [InlineData("lightgcn", UnlearningLoss.DistributionToDistribution, UnlearningTarget.Full)]
    public void UnlearningSavesEvery50StepsAndResumesToTheUndisturbedRun(string kind, UnlearningLoss loss, string target)
    {
        var data = EngineTestData.Create();
        using var trained = TrainingTests.Create(kind, data, 5);
        new PointwiseTrainer(data, new TrainingOptions { Epochs = 2, BatchSize = 64 }, TrainingRegime.Original).Train(trained, 5, new Generator(5));
        var weights = Path.Combine(_out, "original.bin");
        Directory.CreateDirectory(_out);
        trained.Save(weights);
        var options = new UnlearningOptions { Steps = 130, EvaluateEvery = 20, LearningRate = 1e-2, Target = target };
        (UnlearningOutcome, float[][]) Run(ICheckpoints<UnlearningState>? saved, int? cancelAtCheckpoint)
        {
            using var model = TrainingTests.Create(kind, data, 99);
            model.Load(weights);
            using var cts = new CancellationTokenSource();
            var outcome = new PostTrainingUnlearner(data, options, loss).Unlearn(model,
                p => { if (p.Position == cancelAtCheckpoint) cts.Cancel(); }, cts.Token, saved);
            return (outcome, model.TrainableParameters.Select(Unlearning.Util.TensorValues.Read).ToArray());
        }
        var periodic = new Saved<UnlearningState>(UnlearningState.Read, (s, p) => s.Write(p), _out);
        var (expected, expectedEmbedding) = Run(periodic, null);
        Assert.Equal(2, periodic.Saves); // after steps 50 and 100
        Assert.Equal(100, periodic.Latest()!.Step);
        Assert.Equal(target == UnlearningTarget.Full && kind == "ncf" ? 2 : 1, periodic.Latest()!.Moved.Length);

        var interrupted = new Saved<UnlearningState>(UnlearningState.Read, (s, p) => s.Write(p), _out);
        Assert.Throws<OperationCanceledException>(() => Run(interrupted, 60));
        Assert.Equal(60, interrupted.Latest()!.Step);
        var (resumed, resumedEmbedding) = Run(interrupted, null);
        Assert.Equal(expected.Checkpoints.Select(c => (c.Step, c.Loss, c.Metrics.Hr(10))), resumed.Checkpoints.Select(c => (c.Step, c.Loss, c.Metrics.Hr(10))));
        Assert.Equal(expected.FinalMetrics.HitRate, resumed.FinalMetrics.HitRate);
        Assert.Equal(expectedEmbedding, resumedEmbedding);
    }

    /// <summary>Whole cells through the artifact store: stopped after epoch 1 (training) or step 10
    /// (unlearning), run again with the same store, they say so and give an undisturbed run's values.</summary>
    [Theory]
    [InlineData("ncf", "retrain", "train", 1, "after epoch 1 of 2")]
    [InlineData("lightgcn", "adv", "train", 1, "after epoch 1 of 2")]
    [InlineData("ncf", "d2d", "unlearn", 10, "after step 10 of 20")]
    [InlineData("ncf", "u2u", "unlearn", 10, "after step 10 of 20", "tiny;unlearning.target=full")]
    [InlineData("lightgcn", "cr", "unlearn", 10, "after step 10 of 20", "tiny;unlearning.request_fraction=0.4")]
    [InlineData("lightgcn", "d2d", "unlearn", 10, "after step 10 of 20", "tiny;unlearning.target=full;unlearning.term_sample=0.3")]
    public void ACellStoppedPartWayResumesFromTheStoreToTheUndisturbedResult(string model, string method, string phase, int stopAt, string resumedFrom,
        string profile = "tiny")
    {
        var spec = new CellSpec("synthetic-small", model, method, profile, 11);
        var undisturbed = new CellRunner(new EngineSettings { DataDir = _out, OutDir = Path.Combine(_out, "undisturbed"), Device = "cpu" }).Run(spec);

        var settings = new EngineSettings { DataDir = _out, OutDir = Path.Combine(_out, "resumed"), Device = "cpu" };
        if (spec.NeedsOriginal) new CellRunner(settings).Run(spec.OriginalCell);
        using (var cts = new CancellationTokenSource())
        {
            var stopping = new CellRunner(settings, p =>
            {
                if (p.Report.Phase == phase && p.Report.Position == stopAt && (phase == "unlearn" || p.Report.EpochSeconds is not null)) cts.Cancel();
            });
            Assert.Throws<OperationCanceledException>(() => stopping.Run(spec, ct: cts.Token));
        }
        var log = new List<string>();
        var resumed = new CellRunner(settings, log: log.Add).Run(spec);

        Assert.Contains(log, l => l.Contains($"resumed from its checkpoint {resumedFrom}"));
        Assert.StartsWith(resumedFrom, resumed.ResumedFrom);
        Assert.Null(undisturbed.ResumedFrom);
        Assert.Equal(undisturbed.Recommendation, resumed.Recommendation);
        Assert.Equal(undisturbed.Attacks.Select(a => (a.Attacker, a.Mean)), resumed.Attacks.Select(a => (a.Attacker, a.Mean)));
        Assert.Equal(undisturbed.Epochs.Select(e => (e.Epoch, e.Loss, e.Hr10)), resumed.Epochs.Select(e => (e.Epoch, e.Loss, e.Hr10)));
        Assert.Equal(undisturbed.UnlearningCheckpoints.Select(c => (c.Step, c.Loss)), resumed.UnlearningCheckpoints.Select(c => (c.Step, c.Loss)));
        Assert.Equal(NpyFile.Read(undisturbed.EmbeddingsPath).Values, NpyFile.Read(resumed.EmbeddingsPath).Values);
        Assert.Equal(NpyFile.Read(undisturbed.RepresentationPath!).Values, NpyFile.Read(resumed.RepresentationPath!).Values);
        // Finished: the checkpoint is gone.
        var store = new DirectoryArtifactStore(settings.OutDir);
        Assert.Equal(ArtifactState.Missing, store.Read(resumed.ConfigHash, ArtifactNames.TrainingCheckpoint).State);
        Assert.Equal(ArtifactState.Missing, store.Read(resumed.ConfigHash, ArtifactNames.UnlearningCheckpoint).State);
    }

    [Fact]
    public void AnAbsurdLearningRateFailsNamingWhereTheLossDiverged()
    {
        var data = EngineTestData.Create();
        using var model = TrainingTests.Create("ncf", data, 3);
        var e = Assert.Throws<TrainingDivergedException>(() =>
            new PointwiseTrainer(data, new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 1e30 }, TrainingRegime.Original).Train(model, 1, new Generator(1)));
        Assert.Matches(@"^training diverged at epoch 1, step \d+: the loss is NaN", e.Message);
    }

    public void Dispose() => _temp.Dispose();
}
