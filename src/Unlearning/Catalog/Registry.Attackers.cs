using Unlearning.Attack;

namespace Unlearning.Catalog;

public static partial class Registry
{
    private static IEnumerable<AttackerDescriptor> AttackerTable() =>
    [
        new()
        {
            Name = "mlp", Label = "MLP", PaperPrefix = "mlp", InProtocol = true,
            Options = new("mlp_attacker", new MlpAttackerOptions()),
            Create = options => new MlpAttacker((MlpAttackerOptions)options),
        },
        new()
        {
            // The paper's XGBoost, as ML.NET FastTree (docs/decisions.md, Attack).
            Name = "tree", Label = "Tree", Aliases = ["xgb", "xgboost", "fasttree"], PaperPrefix = "xgb", InProtocol = true,
            Options = new("tree_attacker", new TreeAttackerOptions()),
            Create = options => new TreeAttacker((TreeAttackerOptions)options),
        },
        new()
        {
            Name = "logistic", Label = "Logistic", Aliases = ["lr", "logreg"],
            Options = new("logistic_attacker", new LogisticAttacker.Settings()),
            Create = options => new LogisticAttacker((LogisticAttacker.Settings)options),
        },
        new()
        {
            Name = "knn", Label = "kNN", Aliases = ["nearest-neighbours", "nearest-neighbors"],
            Options = new("knn_attacker", new NearestNeighboursAttacker.Settings()),
            Create = options => new NearestNeighboursAttacker((NearestNeighboursAttacker.Settings)options),
        },
    ];
}
