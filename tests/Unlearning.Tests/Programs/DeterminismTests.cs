using Unlearning.Tests.Shared;
using Unlearning.Experiments;

namespace Unlearning.Tests.Programs;

/// <summary>Same seed, same numbers, across processes: every method of both models, run by the
/// command line twice in separate processes (the two runs side by side), gives identical Table 1
/// and Table 3 values and the same user embeddings.</summary>
[Trait("Category", "EndToEnd")]
public sealed class DeterminismTests : IDisposable
{
    private readonly TempFolder _temp = new("determinism-");
    private string _dir => _temp.Path;

    [Theory]
    [InlineData("ncf")]
    [InlineData("lightgcn")]
    public void TwoProcessesGiveIdenticalTables(string model)
    {
        foreach (var method in Unlearning.Catalog.Registry.Methods.Names)
        {
            var runs = new[] { "a", "b" }.Select(run => CellProcess.Start(model, method, 9, _dir, Path.Combine(_dir, model, run))).ToList();
            var results = runs.Select(p => CellProcess.Result(p, $"{model} {method}", minutes: 3)).ToList();
            var (a, b) = (results[0], results[1]);
            Assert.NotEqual(a.ResultPath, b.ResultPath);
            Assert.Equal(a.Recommendation, b.Recommendation);
            Assert.Equal(["MLP", "Tree"], a.Attacks.Select(x => x.Attacker));
            Assert.Equal(a.Attacks.Select(x => (x.Attacker, x.Mean, x.Std)), b.Attacks.Select(x => (x.Attacker, x.Mean, x.Std)));
            Assert.Equal(NpyFile.Read(a.EmbeddingsPath).Values, NpyFile.Read(b.EmbeddingsPath).Values);
        }
    }

    public void Dispose() => _temp.Dispose();
}
