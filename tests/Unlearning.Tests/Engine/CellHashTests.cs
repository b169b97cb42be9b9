using System.Globalization;
using Unlearning.Experiments;

namespace Unlearning.Tests.Engine;

/// <summary>No stored result may be invalidated: the config hash of every cell in
/// Data/pinned-config-hashes.tsv (the ML-100K cells kept in docs/figures, with their real data hashes,
/// and cells of other settings, datasets and attributes) is the one the engine stored them under.</summary>
public class CellHashTests
{
    public static TheoryData<string, string, string, string, int, string, int, string> Pinned()
    {
        var data = new TheoryData<string, string, string, string, int, string, int, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Engine", "Data", "pinned-config-hashes.tsv")).Where(l => !l.StartsWith('#')))
        {
            var f = line.Split('\t');
            data.Add(f[0], f[1], f[2], f[3], int.Parse(f[4], CultureInfo.InvariantCulture), f[5], int.Parse(f[6], CultureInfo.InvariantCulture), f[7]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pinned))]
    public void StoredCellsKeepTheirHash(string dataset, string model, string method, string profile, int seed, string datasetHash, int groups, string expected)
    {
        var spec = new CellSpec(dataset, model, method, profile, seed).Validate();
        Assert.Equal(expected, CellRunner.ConfigHash(spec, ExperimentProfile.Get(spec.Profile), datasetHash, groups: groups));
    }

    [Fact]
    public void ThePinnedCellsCoverTheSettingsThatWereWrittenOnlyWhenSet()
    {
        var profiles = Pinned().Select(row => (string)row.Data.Item4).ToList();
        Assert.True(profiles.Count > 140, $"{profiles.Count} pinned cells");
        foreach (var key in new[] { "data.validation_split", "training.pairwise", "training.embedding_decay", "data.attribute_column", "ncf.mlp_layers", "unlearning.trade_off" })
            Assert.Contains(profiles, p => p.Contains(key, StringComparison.Ordinal));
        Assert.Contains(Pinned(), row => row.Data.Item7 > 2);
    }
}
