using Unlearning.Losses;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Tests.Engine;

public class TrainingTests
{
    private static readonly TrainingOptions Quick = new() { Epochs = 3, BatchSize = 64 };

    [Fact]
    public void NegativesAvoidTheUsersTrainingItems()
    {
        var data = EngineTestData.Create();
        var (users, items, labels) = new NegativeSampler(data, 4).SampleEpoch(new Random(1));
        Assert.Equal(data.NumTrain * 5, users.Length);
        Assert.Equal(data.NumTrain, labels.Count(l => l == 1));
        for (int k = 0; k < users.Length; k++)
        {
            bool inTrain = data.TrainItemsOf((int)users[k]).BinarySearch((int)items[k]) >= 0;
            Assert.Equal(labels[k] == 1, inTrain);
        }
        var again = new NegativeSampler(data, 4).SampleEpoch(new Random(1));
        Assert.Equal(items, again.Items);
    }

    [Theory]
    [InlineData("ncf")]
    [InlineData("lightgcn")]
    public void TrainingLearnsAndIsReproducible(string kind)
    {
        var data = EngineTestData.Create();
        TrainingOutcome Train()
        {
            using var model = Create(kind, data, 3);
            return new PointwiseTrainer(data, Quick with { Epochs = 4 }, TrainingRegime.Original).Train(model, 4, new Generator(4));
        }
        var first = Train();
        var second = Train();
        Assert.Equal(4, first.Epochs.Count);
        Assert.True(first.Epochs[^1].Loss < first.Epochs[0].Loss, $"loss {first.Epochs[0].Loss} -> {first.Epochs[^1].Loss}");
        Assert.Equal(first.Epochs.Select(e => e.Loss), second.Epochs.Select(e => e.Loss));
        Assert.Equal(first.BestMetrics.Hr(10), second.BestMetrics.Hr(10));
        Assert.Equal(first.Epochs.Max(e => e.Metrics.Hr(10)), first.BestMetrics.Hr(10));
    }

    [Fact]
    public void RetrainLowersTheGroupMmdComparedWithOriginal()
    {
        var data = EngineTestData.Create(users: 90);
        double Mmd(TrainingRegime regime)
        {
            using var model = Create("lightgcn", data, 2);
            new PointwiseTrainer(data, Quick with { RetrainEvery = 1, RetrainTradeOff = 10 }, regime).Train(model, 2, new Generator(2));
            using var groups = new GroupIndex(data, CPU);
            return MultiKernelMmd.AcrossGroups(model.AttackedUserEmbedding.detach(), groups.Rows).item<float>();
        }
        Assert.True(Mmd(TrainingRegime.Retrain) < Mmd(TrainingRegime.Original));
    }

    [Theory]
    [InlineData("ncf", UnlearningLoss.DistributionToDistribution)]
    [InlineData("lightgcn", UnlearningLoss.UserToUser)]
    public void UnlearningChangesOnlyTheAttackedEmbeddingAndLowersItsLoss(string kind, UnlearningLoss loss)
    {
        var data = EngineTestData.Create();
        using var model = Create(kind, data, 5);
        new PointwiseTrainer(data, Quick, TrainingRegime.Original).Train(model, 5, new Generator(5));
        var before = model.TrainableParameters.Select(p => p.detach().clone()).ToArray();
        var outcome = new PostTrainingUnlearner(data, new UnlearningOptions { Steps = 60, EvaluateEvery = 20, LearningRate = 1e-2 }, loss).Unlearn(model);
        Assert.Equal([20, 40, 60], outcome.Checkpoints.Select(c => c.Step));
        Assert.True(outcome.Checkpoints[^1].Distinguishability < outcome.Checkpoints[0].Distinguishability);
        var after = model.TrainableParameters;
        for (int i = 0; i < before.Length; i++)
        {
            bool attacked = ReferenceEquals(after[i], model.AttackedUserEmbedding);
            Assert.Equal(!attacked, Unlearning.Tests.Models.ModelTests.Same(before[i], after[i]));
        }
    }

    internal static IRecommender Create(string kind, Unlearning.Data.PreparedDataset data, ulong seed)
    {
        var (users, items) = data.TrainPairs();
        return kind == "ncf"
            ? new NeuMF(data.NumUsers, data.NumItems, new NeuMFOptions(), CPU, new Generator(seed))
            : new LightGcn(data.NumUsers, data.NumItems, users, items, new LightGcnOptions(), CPU, new Generator(seed));
    }
}
