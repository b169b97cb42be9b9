using Unlearning.Training;

namespace Unlearning.Catalog;

public static partial class Registry
{
    /// <summary>The dataset the methods' reference seconds were measured on: the cell times of its
    /// paper grid on the 2-core development machine (docs/figures/grid-ml100k-20261202-grid.json), one CPU thread.</summary>
    public const string ReferenceDataset = "ml-100k";

    private static IEnumerable<MethodDescriptor> MethodTable() =>
    [
        new()
        {
            Name = "original", Label = "Original", Regime = TrainingRegime.Original, InTable2 = false,
            ReferenceSeconds = new Dictionary<string, double> { ["ncf"] = 112.5, ["lightgcn"] = 293.8 },
            Style = new("#8B008B", "FilledSquare"),
        },
        new()
        {
            Name = "u2u", Label = "U2U-R", Loss = UnlearningLoss.UserToUser, StartsFrom = "original", PaperTable2Column = "u2u-r",
            ReferenceSeconds = new Dictionary<string, double> { ["ncf"] = 11.0, ["lightgcn"] = 15.3 }, Scaling = CostScaling.Users,
            Style = new("#008000", "FilledCircle"),
        },
        new()
        {
            Name = "d2d", Label = "D2D-R", Loss = UnlearningLoss.DistributionToDistribution, StartsFrom = "original", PaperTable2Column = "d2d-r",
            ReferenceSeconds = new Dictionary<string, double> { ["ncf"] = 12.6, ["lightgcn"] = 18.6 }, Scaling = CostScaling.UsersToThePowerOneAndAHalf,
            Style = new("#0000FF", "FilledCircle"),
        },
        new()
        {
            Name = "retrain", Label = "Retrain", Regime = TrainingRegime.Retrain, PaperTable2Column = "retrain",
            ReferenceSeconds = new Dictionary<string, double> { ["ncf"] = 119.5, ["lightgcn"] = 299.0 },
            Style = new("#FF0000", "FilledDiamond"),
        },
        new()
        {
            Name = "adv", Label = "Adv-InT", Regime = TrainingRegime.Adversarial, PaperTable2Column = "adv-int",
            ReferenceSeconds = new Dictionary<string, double> { ["ncf"] = 128.5, ["lightgcn"] = 294.9 },
            Style = new("#FFA500", "FilledTriangleUp"),
        },
        new()
        {
            // Beyond the paper: a coding-rate distinguishability (Losses.CodingRate), after Feng et al., WWW 2025.
            Name = "cr", Label = "CR-R", Loss = UnlearningLoss.CodingRate, StartsFrom = "original", InPaperGrid = false,
            ReferenceSeconds = new Dictionary<string, double> { ["ncf"] = 11.0, ["lightgcn"] = 15.3 }, Scaling = CostScaling.Users,
            Style = new("#008B8B", "FilledTriangleDown"),
        },
    ];

    /// <summary>Some method starts from this one's model (the Original): its own representations are the ones a stale attacker learned on.</summary>
    public static bool IsStartedFrom(string method) => Methods.All.Any(m => m.StartsFrom == method);

    /// <summary>The paper's methods, in the catalog's order (<c>--methods all</c>).</summary>
    public static IReadOnlyList<string> PaperGridMethods => Methods.All.Where(m => m.InPaperGrid).Select(m => m.Name).ToList();
}
