using Unlearning.Data;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Metrics;

/// <summary>Scores every user's 100 test candidates and computes HR@K / NDCG@K.</summary>
public sealed class RecommendationEvaluator : IDisposable
{
    private readonly Tensor _candidates;
    private readonly int _users;

    public RecommendationEvaluator(PreparedDataset data, Device device)
    {
        _users = data.NumUsers;
        using var cpu = tensor(data.TestCandidates.Select(i => (long)i).ToArray(), [data.NumUsers, PreparedDataset.CandidatesPerUser]);
        _candidates = cpu.to(device);
    }

    public RankingMetrics Evaluate(IRecommender model)
    {
        using var scope = NewDisposeScope();
        var scores = model.ScoreAllUsers(_candidates).cpu().contiguous().data<float>().ToArray();
        return RankingMetrics.FromScores(scores, _users, PreparedDataset.CandidatesPerUser);
    }

    public void Dispose() => _candidates.Dispose();
}
