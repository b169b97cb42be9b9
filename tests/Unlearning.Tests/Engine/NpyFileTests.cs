using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Tests.Engine;

public class NpyFileTests
{
    [Fact]
    public void WritesAndReadsAMatrixWithAnAlignedHeader()
    {
        var path = Path.Combine(Path.GetTempPath(), $"m-{Guid.NewGuid():N}.npy");
        float[] values = [1, 2, 3, 4, 5, 6];
        NpyFile.Write(path, values, 2, 3);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0, (bytes.Length - values.Length * 4) % 64);
        var (read, rows, cols) = NpyFile.Read(path);
        File.Delete(path);
        Assert.Equal((2, 3), (rows, cols));
        Assert.Equal(values, read);
    }

    [Fact]
    public void PaperTablesHoldThePublishedValues()
    {
        var paper = PaperTables.Published;
        Assert.Equal(0.6353, paper.Recommendation("NMF", "ML-100K", "Original", "hr@10"));
        Assert.Equal(0.3590, paper.Recommendation("LightGCN", "ML-100K", "Original", "ndcg@10"));
        Assert.Equal(0.7307, paper.Attack("NMF", "ML-100K", "Original", "mlp_auc"));
        Assert.Equal(12, paper.Seconds("NMF", "ML-100K", "D2D-R"));
        Assert.Null(paper.Seconds("NMF", "ML-100K", "Original"));
    }
}
