using Unlearning.Data;

namespace Unlearning.Catalog;

public static partial class Registry
{
    // Properties, not fields: the tables are built while the catalog initialises, in no set order across its files.
    private static Uri GroupLens => new("https://files.grouplens.org/datasets/movielens/");

    private static IEnumerable<DatasetDescriptor> DatasetTable() =>
    [
        new()
        {
            Name = "ml-100k", Label = "ML-100K", PaperLabel = "ML-100K", InPaperGrid = true,
            Files = [MovieLens100KReader.RatingsFileName, MovieLens100KReader.UsersFileName], Read = MovieLens100KReader.Read,
            Attributes = MovieLensReader.Attributes, Download = new Uri(GroupLens, "ml-100k.zip"),
            HowToGet = dir => $"run the client's `data fetch ml-100k`, or download {new Uri(GroupLens, "ml-100k.zip")} and unzip u.data and u.user into {dir}",
            Shape = new(943, 98_344),
        },
        new()
        {
            Name = "ml-1m", Label = "ML-1M", PaperLabel = "ML-1M", InPaperGrid = true,
            Files = [MovieLens1MReader.RatingsFileName, MovieLens1MReader.UsersFileName], Read = MovieLens1MReader.Read,
            Attributes = MovieLensReader.Attributes, Download = new Uri(GroupLens, "ml-1m.zip"),
            HowToGet = dir => $"run the client's `data fetch ml-1m`, or download {new Uri(GroupLens, "ml-1m.zip")} and unzip ratings.dat and users.dat into {dir}",
            Shape = new(6_040, 994_169), MeasuredRates = Ml1mRates,
        },
        new()
        {
            Name = "lfm-2b", Label = "LFM-2B", PaperLabel = "LFM-2B", InPaperGrid = true, StandIn = "lfm-2b-synthetic",
            Files = [Lfm2bReader.InteractionsFileName, Lfm2bReader.UsersFileName], Read = (dir, _) => Lfm2bReader.Read(dir),
            Attributes = ["gender"],
            // decision: the LFM-2b sample averages about 28 listeners per track, so a 120 threshold on
            // tracks would discard most of them and, by cascade, most users (docs/decisions.md).
            MinUserInteractions = 120, MinItemInteractions = 5,
            HowToGet = dir => $"the LFM-2b demographic sample is not publicly downloadable; place {Lfm2bReader.InteractionsFileName} " +
                              $"(user \\t track \\t count [\\t timestamp]) and {Lfm2bReader.UsersFileName} (user \\t country \\t age \\t gender \\t time) " +
                              $"in {dir}, or use 'lfm-2b-synthetic', a generated dataset of the same shape",
            Shape = new(19_972, 2_810_569), MeasuredRates = Lfm2bRates,
        },
        new()
        {
            Name = "lfm-2b-synthetic", Label = "LFM-2B (synthetic)", PaperLabel = "LFM-2B",
            Generator = SyntheticOptions.Default, Attributes = ["gender"],
            HowToGet = _ => "it is generated on load; nothing to get",
            Shape = new(19_972, 2_810_569), MeasuredRates = Lfm2bRates,
        },
        new()
        {
            Name = "ml-1m-synthetic", Label = "ML-1M (synthetic)", PaperLabel = "ML-1M",
            Generator = SyntheticOptions.MovieLens1M, Attributes = ["gender"],
            HowToGet = _ => "it is generated on load; nothing to get",
            Shape = new(6_040, 994_169), MeasuredRates = Ml1mRates,
        },
        new()
        {
            Name = "synthetic-small", Label = "synthetic-small",
            Generator = SyntheticOptions.Small, Attributes = ["gender"],
            HowToGet = _ => "it is generated on load; nothing to get",
            Shape = new(300, 14_700),
        },
    ];

    // The scale benchmark's figures (docs/benchmarks.md), 200 steps each: scale-ml1m-synthetic-20261203-000731.md.
    private static Dictionary<(string, string), StepRate> Ml1mRates => new()
    {
        [("ncf", "original")] = new(0.005), [("ncf", "retrain")] = new(0.009), [("ncf", "adv")] = new(0.006),
        [("ncf", "u2u")] = new(0.012, 16), [("ncf", "d2d")] = new(0.204, 17),
        [("lightgcn", "original")] = new(0.034), [("lightgcn", "retrain")] = new(0.044), [("lightgcn", "adv")] = new(0.034),
        [("lightgcn", "u2u")] = new(0.099, 1), [("lightgcn", "d2d")] = new(0.464, 1),
    };

    // scale-lfm2b-synthetic-20261203-002329.md.
    private static Dictionary<(string, string), StepRate> Lfm2bRates => new()
    {
        [("ncf", "original")] = new(0.040), [("ncf", "retrain")] = new(0.134), [("ncf", "adv")] = new(0.046),
        [("ncf", "u2u")] = new(0.037, 2265), [("ncf", "d2d")] = new(1.590, 2922),
        [("lightgcn", "original")] = new(0.802), [("lightgcn", "retrain")] = new(1.063), [("lightgcn", "adv")] = new(0.936),
        [("lightgcn", "u2u")] = new(0.739, 12), [("lightgcn", "d2d")] = new(2.869, 24),
    };
}
