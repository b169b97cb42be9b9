namespace Unlearning.Experiments;

/// <summary>The names the paper's tables use, from the catalog.</summary>
public static class TableLabels
{
    public static string Model(string model) => Catalog.Registry.Models.Label(model);

    public static string Method(string method) => Catalog.Registry.Methods.Label(method);

    public static string Dataset(string dataset) => Catalog.Registry.Datasets.Label(dataset);

    /// <summary>The published dataset a cell of this dataset is compared with ("LFM-2B (synthetic)" →
    /// "LFM-2B"); its own label where the paper has none (no published row has it).</summary>
    public static string PaperDataset(string dataset) => Catalog.Registry.Datasets.Find(dataset)?.PaperLabel ?? Dataset(dataset);

    /// <summary>The published dataset a cell is compared with, where the paper measured it: with a
    /// private attribute other than gender there is none (a label no paper row has).</summary>
    public static string PaperDataset(CellSpec cell) =>
        OtherAttribute(cell.Profile) is { } attribute ? $"{PaperDataset(cell.Dataset)} by {attribute}" : PaperDataset(cell.Dataset);

    /// <summary>How a profile's attack splits the users, for table headers ("stratified 5-fold x 3");
    /// null for a profile this engine no longer knows.</summary>
    public static string? AttackProtocol(string profile)
    {
        try
        {
            var resolved = ExperimentProfile.Get(profile);
            var attack = resolved.Attack;
            double requested = resolved.Unlearning.RequestFraction;
            // Folds over all users where only some asked: moved and unmoved rows mixed, said so.
            string among = requested < 1 ? $" over all users, {requested:P0} of whom asked to be forgotten" : "";
            return attack.Threat switch
            {
                Attack.AttackThreat.Stale => $"stale attacker: trained on the Original's representations, stratified {attack.Folds}-fold x {attack.Repeats}{among}",
                Attack.AttackThreat.Disclosed => $"{Disclosed(resolved)}, x {attack.Repeats}",
                _ => $"stratified {attack.Folds}-fold x {attack.Repeats}{among}",
            };
        }
        catch (ArgumentException) { return null; }
    }

    /// <summary>How the disclosed threat splits the users under a profile: a public share of everyone, or
    /// where only some users asked to be forgotten, those who did not (public) and those who did (predicted).</summary>
    public static string Disclosed(ExperimentProfile profile) => profile.Unlearning.RequestFraction < 1
        ? $"disclosed: trained on the users who did not ask to be forgotten, predicting the {profile.Unlearning.RequestFraction:P0} who did"
        : $"disclosed: trained on {profile.Attack.DisclosedFraction:P0} of the users, predicting the rest";

    /// <summary>The private attribute a profile sets where it is not the paper's gender; null for gender.</summary>
    public static string? OtherAttribute(string profile)
    {
        string? attribute;
        try { attribute = ExperimentProfile.Get(profile).Data.AttributeColumn; }
        catch (ArgumentException) { attribute = null; } // a profile this engine no longer knows
        return attribute is null || attribute.Equals(DatasetLoader.GenderAttribute, StringComparison.OrdinalIgnoreCase) ? null : attribute;
    }
}
