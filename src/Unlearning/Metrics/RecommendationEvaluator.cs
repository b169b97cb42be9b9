using Unlearning.Data;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Metrics;

/// <summary>Scores every user's 100 test (or validation) candidates and computes HR@K / NDCG@K.</summary>
public sealed class RecommendationEvaluator : IDisposable
{
    private readonly Tensor _candidates;
    private readonly int _users;

    /// <param name="validation">Rank the validation candidates instead of the test ones (the data must have a validation split).</param>
    public RecommendationEvaluator(PreparedDataset data, Device device, bool validation = false)
    {
        _users = data.NumUsers;
        var candidates = validation
            ? data.ValidationCandidates ?? throw new InvalidOperationException($"{data.Name} has no validation split (data.validation_split=true makes one)")
            : data.TestCandidates;
        using var cpu = tensor(candidates.Select(i => (long)i).ToArray(), [data.NumUsers, PreparedDataset.CandidatesPerUser]);
        _candidates = cpu.to(device);
    }

    public RankingMetrics Evaluate(IRecommender model) => RankingMetrics.FromRanks(Ranks(model));

    /// <summary>Each user's 0-based rank of their positive among their candidates (<see cref="RankingMetrics.PositiveRanks"/>).</summary>
    public int[] Ranks(IRecommender model)
    {
        using var scope = NewDisposeScope();
        var scores = model.ScoreAllUsers(_candidates).cpu().contiguous().data<float>().ToArray();
        return RankingMetrics.PositiveRanks(scores, _users, PreparedDataset.CandidatesPerUser);
    }

    public void Dispose() => _candidates.Dispose();
}
