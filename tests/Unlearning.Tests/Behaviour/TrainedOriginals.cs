using Unlearning.Tests.Shared;
using Unlearning.Attack;
using Unlearning.Data;
using Unlearning.Experiments;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Tests.Behaviour;

/// <summary>
/// synthetic-small (300 users, 234 m / 66 f, gender planted in genre preferences) and, for each
/// model, an original trained on it once (5 epochs, seed 1) and stored, as the post-training methods
/// start from one.
/// </summary>
public sealed class TrainedOriginals : IDisposable
{
    public const int Seed = 1;
    public static readonly TrainingOptions Training = new() { Epochs = 5 };

    private readonly TempFolder _temp = new("originals-");
    private string _dir => _temp.Path;
    private readonly Dictionary<string, (string Path, TrainingOutcome Outcome)> _trained = new();

    public PreparedDataset Data { get; } = DatasetLoader.Load("synthetic-small", Path.GetTempPath(), DataOptions.Default);

    public TrainingOutcome Outcome(string kind) => Trained(kind).Outcome;

    /// <summary>A fresh copy of the trained original (loaded from its file).</summary>
    public IRecommender Load(string kind)
    {
        var model = Create(kind, Data, 99);
        model.Load(Trained(kind).Path);
        return model;
    }

    public static IRecommender Create(string kind, PreparedDataset data, ulong seed) => Engine.TrainingTests.Create(kind, data, seed);

    private (string Path, TrainingOutcome Outcome) Trained(string kind)
    {
        lock (_trained)
        {
            if (_trained.TryGetValue(kind, out var done)) return done;
            Directory.CreateDirectory(_dir);
            using var model = Create(kind, Data, Seed);
            var outcome = new PointwiseTrainer(Data, Training, TrainingRegime.Original).Train(model, Seed, new Generator(Seed));
            var path = Path.Combine(_dir, $"{kind}.bin");
            model.Save(path);
            return _trained[kind] = (path, outcome);
        }
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>Independent reference computations on a model's attacked user embedding, in double precision.</summary>
public static class Leakage
{
    public static float[] Embeddings(IRecommender model)
    {
        using var _ = no_grad();
        using var cpu = model.AttackedUserEmbedding.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    /// <summary>The model's full user representation (<see cref="IRecommender.FullUserRepresentation"/>) and its width.</summary>
    public static (float[] Values, int Dim) Full(IRecommender model)
    {
        using var full = model.FullUserRepresentation();
        using var cpu = full.detach().cpu().contiguous();
        return (cpu.data<float>().ToArray(), (int)full.shape[1]);
    }

    /// <summary>Mean AUC of an attacker over 3-fold cross-validation of the balanced users.</summary>
    public static double Auc(IRecommender model, PreparedDataset data, IAttacker attacker) => Auc(Embeddings(model), model.AttackedDim, data, attacker);

    /// <summary>The same on any user rows (row-major, <paramref name="d"/> wide).</summary>
    public static double Auc(float[] e, int d, PreparedDataset data, IAttacker attacker) =>
        AttackEvaluator.Evaluate(attacker, e, d, data.UserGroup, data.PositiveGroup, new AttackOptions { Folds = 3, Repeats = 1, Seed = 7 }).Mean.Auc;

    /// <summary>All users' coding rate R and the rate reduction R − R^c of the attacked embedding, each
    /// ½ logdet(I_m + d / (m ε²) E Eᵀ) written in the m x m form (the loss uses the d x d one).</summary>
    public static (double Rate, double Reduction) RateReduction(IRecommender model, PreparedDataset data, double epsilon)
    {
        using var e = tensor(Embeddings(model).Select(v => (double)v).ToArray(), [data.NumUsers, model.AttackedDim]);
        double HalfLogDet(Tensor x)
        {
            long m = x.shape[0], d = x.shape[1];
            using var a = eye(m, dtype: ScalarType.Float64).add(x.matmul(x.t()).mul(d / (m * epsilon * epsilon)));
            return 0.5 * logdet(a).item<double>();
        }
        double rate = HalfLogDet(e), grouped = 0;
        for (int g = 0; g < data.NumGroups; g++)
        {
            using var rows = tensor(Rows(data, g).Select(r => (long)r).ToArray());
            using var part = e.index_select(0, rows);
            grouped += (double)part.shape[0] / data.NumUsers * HalfLogDet(part);
        }
        return (rate, rate - grouped);
    }

    /// <summary>Σ over every pair (i in group 0, j in group 1) of ||e_i − e_j||², pair by pair.</summary>
    public static double PairwiseU2U(IRecommender model, PreparedDataset data) => PairwiseU2U(Embeddings(model), model.AttackedDim, data);

    /// <summary>The same on any user rows (row-major, <paramref name="d"/> wide).</summary>
    public static double PairwiseU2U(float[] e, int d, PreparedDataset data)
    {
        var g0 = Rows(data, 0);
        var g1 = Rows(data, 1);
        double sum = 0;
        foreach (var i in g0)
            foreach (var j in g1)
                for (int k = 0; k < d; k++)
                {
                    double diff = e[i * d + k] - e[j * d + k];
                    sum += diff * diff;
                }
        return sum;
    }

    /// <summary>protocol.md's multi-kernel MMD between group 1 and group 0, written out directly.</summary>
    public static double Mmd(IRecommender model, PreparedDataset data) => Mmd(Embeddings(model), model.AttackedDim, data);

    /// <summary>The same on any user rows (row-major, <paramref name="d"/> wide), over the users marked in
    /// <paramref name="members"/> where given.</summary>
    public static double Mmd(float[] e, int d, PreparedDataset data, IReadOnlyList<bool>? members = null)
    {
        var rows = Rows(data, 1, members).Concat(Rows(data, 0, members)).ToArray();
        int n = rows.Length, ns = Rows(data, 1, members).Length;
        var distance = new double[n, n];
        double total = 0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                {
                    double diff = e[rows[a] * d + k] - e[rows[b] * d + k];
                    s += diff * diff;
                }
                distance[a, b] = s;
                total += s;
            }
        double bandwidth = total / ((double)n * n - n) / 4;
        double ss = 0, tt = 0, st = 0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                double kernel = 0;
                for (int i = 0; i < 5; i++) kernel += Math.Exp(-distance[a, b] / (bandwidth * Math.Pow(2, i)));
                bool sa = a < ns, sb = b < ns;
                if (sa && sb) ss += kernel;
                else if (!sa && !sb) tt += kernel;
                else st += kernel;
            }
        long nt = n - ns;
        return ss / ((double)ns * ns) + tt / ((double)nt * nt) - st / ((double)ns * nt);
    }

    private static int[] Rows(PreparedDataset data, int group, IReadOnlyList<bool>? members = null) =>
        Enumerable.Range(0, data.NumUsers).Where(u => data.UserGroup[u] == group && (members is null || members[u])).ToArray();
}
