using System.Text.Json.Serialization;

namespace Unlearning.Experiments;

/// <summary>One cell of Tables 1-3: a dataset x model x method, under a profile and a seed.</summary>
public sealed record CellSpec(string Dataset, string Model, string Method, string Profile = "paper", int Seed = 2023)
{
    /// <summary>A method that unlearns (u2u, d2d) starts from the finished model of another (original)
    /// of the same dataset, model and seed.</summary>
    [JsonIgnore]
    public bool NeedsOriginal => Catalog.Registry.Methods.Get(Method).NeedsOriginal;

    /// <summary>The cell whose model this one starts from: its method's <see cref="Catalog.MethodDescriptor.StartsFrom"/>,
    /// under the profile without the unlearning settings (which it does not use).</summary>
    [JsonIgnore]
    public CellSpec OriginalCell => this with
    {
        Method = Catalog.Registry.Methods.Get(Method).StartsFrom ?? throw new InvalidOperationException($"method {Method} starts from no other cell"),
        Profile = ProfileSettings.ForOriginal(Profile),
    };

    /// <summary>The spec without the unlearning settings where the method trains: they would change
    /// its hash and not its numbers, and a sweep of them would train one original per value. Partial
    /// requests are refused here rather than dropped (<see cref="RequirePartialRequestsApply"/>).</summary>
    public CellSpec WithoutUnusedSettings()
    {
        if (NeedsOriginal) return this;
        RequirePartialRequestsApply(this);
        return this with { Profile = ProfileSettings.ForOriginal(Profile) };
    }

    /// <summary>Partial requests (<c>unlearning.request_fraction</c> below 1) shape a method that unlearns
    /// from an Original, whose own cell drops the setting; a method that trains on its own (Retrain,
    /// Adv-InT) has no partial form, and would otherwise drop the setting unseen. For a spec that needs no Original.</summary>
    private static void RequirePartialRequestsApply(CellSpec spec)
    {
        var method = Catalog.Registry.Methods.Get(spec.Method).Name;
        if (Catalog.Registry.IsStartedFrom(method)) return;
        double fraction = ExperimentProfile.Get(spec.Profile).Unlearning.RequestFraction;
        if (fraction < 1)
            throw new ArgumentException($"unlearning.request_fraction={fraction} applies to methods that unlearn from an Original " +
                                        $"({string.Join(", ", Catalog.Registry.Methods.All.Where(m => m.NeedsOriginal).Select(m => m.Name))}); " +
                                        $"{method} trains with every user's attribute and has no partial-request form: run it without the setting");
    }

    [JsonIgnore]
    public string Id => $"{Dataset}/{Model}/{Method}/{Profile}/seed{Seed}";

    public override string ToString() => Id;

    /// <summary>Canonical lower-case names; throws naming the bad value.</summary>
    public CellSpec Validate()
    {
        var spec = this with
        {
            Dataset = Dataset.Trim().ToLowerInvariant(),
            Model = Catalog.Registry.Models.Get(Model).Name,
            Method = Catalog.Registry.Methods.Get(Method).Name,
            Profile = Profile.Trim(),
        };
        var profile = ExperimentProfile.Get(spec.WithoutUnusedSettings().Profile);
        spec = spec with { Profile = profile.Name };
        Storage.SafeName.Check(spec.Dataset, "dataset name");
        DatasetLoader.RequireAttribute(spec.Dataset, profile.Data.AttributeColumn);
        return spec;
    }
}
