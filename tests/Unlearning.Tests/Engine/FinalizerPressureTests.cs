using Unlearning.Models;
using Unlearning.Training;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Tests.Engine;

/// <summary>
/// TorchSharp frees a number's native Scalar in its finalizer, so a Scalar created for one call can
/// be freed during that call. With a thread that collects and finalizes non-stop, an implicit Scalar
/// (<c>x.add_(y)</c>) fails within about 10,000-20,000 calls on the project's machine ("Expected
/// false to be true ... toFloat"); these tests run the engine's per-step code under that pressure.
/// </summary>
[Collection(nameof(FinalizerPressureTests))]
public class FinalizerPressureTests
{
    [Fact]
    public void ExplicitScalarsSurviveConstantCollections()
    {
        using var x = zeros(1);
        using var y = ones(1);
        using (new CollectorThread())
            for (int i = 0; i < 50_000; i++) x.add_(y, Scalars.One);
        Assert.Equal(50_000f, x.item<float>());
    }

    /// <summary>The same training and unlearning give the same numbers with a collector running
    /// beside them as without: a Scalar freed mid-call would crash or change a value.</summary>
    [Theory]
    [InlineData("ncf", TrainingRegime.Retrain)]
    [InlineData("ncf", TrainingRegime.Adversarial)]
    [InlineData("lightgcn", TrainingRegime.Original)]
    public void TrainingAndUnlearningStepsSurviveConstantCollections(string kind, TrainingRegime regime)
    {
        var calm = Run(kind, regime);
        List<double> pressed;
        using (new CollectorThread()) pressed = Run(kind, regime);
        Assert.Equal(2 + 2 * 3, calm.Count);
        Assert.All(calm, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(calm, pressed);
    }

    /// <summary>Epoch losses of training, then the loss at every checkpoint of U2U and D2D.</summary>
    private static List<double> Run(string kind, TrainingRegime regime)
    {
        var data = EngineTestData.Create();
        using var model = TrainingTests.Create(kind, data, 5);
        var values = new PointwiseTrainer(data, new TrainingOptions { Epochs = 2, BatchSize = 16, RetrainEvery = 1 }, regime)
            .Train(model, 5, new Generator(5)).Epochs.Select(e => e.Loss).ToList();
        foreach (var loss in new[] { UnlearningLoss.UserToUser, UnlearningLoss.DistributionToDistribution })
            values.AddRange(new PostTrainingUnlearner(data, new UnlearningOptions { Steps = 300, EvaluateEvery = 100 }, loss).Unlearn(model).Checkpoints.Select(c => c.Loss));
        return values;
    }

    private sealed class CollectorThread : IDisposable
    {
        private volatile bool _stop;
        private readonly Thread _thread;

        public CollectorThread()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}

/// <summary>Runs alone: its collector thread would slow every test running beside it.</summary>
[CollectionDefinition(nameof(FinalizerPressureTests), DisableParallelization = true)]
public class FinalizerPressureCollection;
