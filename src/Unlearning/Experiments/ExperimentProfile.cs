using System.Collections.Immutable;
using Unlearning.Attack;
using Unlearning.Data;
using Unlearning.Training;
using Unlearning.Util;

namespace Unlearning.Experiments;

/// <summary>Every option of a cell. <c>paper</c> is all defaults (protocol.md); <c>fast</c> trades
/// fidelity for speed (fewer epochs and steps, larger batches, one attack repeat) and says so.</summary>
public sealed record ExperimentProfile
{
    public static readonly string[] Names = ["paper", "fast", "tiny"];

    public required string Name { get; init; }
    public DataOptions Data { get; init; } = new();
    public TrainingOptions Training { get; init; } = new();
    public UnlearningOptions Unlearning { get; init; } = new();
    public AttackOptions Attack { get; init; } = new();

    /// <summary>The options of the catalog's models and attackers, by section name ("ncf",
    /// "mlp_attacker"): each the descriptor's default unless a setting changed it.</summary>
    public ImmutableSortedDictionary<string, OptionsSection> Sections { get; init; } = Catalog.Registry.DefaultSections;

    /// <summary>The options of a model's or attacker's section.</summary>
    public OptionsSection Section(string name) =>
        Sections.TryGetValue(name, out var section) ? section : throw new ArgumentException($"no options section '{name}' (the catalog's: {string.Join(", ", Sections.Keys)})");

    /// <summary>A copy with one catalog section replaced.</summary>
    public ExperimentProfile WithSection(string name, OptionsSection options) => this with { Sections = Sections.SetItem(name, options) };

    /// <summary>True when the profile deviates from protocol.md (tables must say so:
    /// <see cref="ProfileSettings.DifferencesFromPaper"/>).</summary>
    public bool DeviatesFromPaper => Name != "paper" && ProfileSettings.DifferencesFromPaper(this).Count > 0;

    /// <summary>The profile a cell names: a base profile, or one with settings changed
    /// ("paper;training.epochs=50", <see cref="ProfileSettings"/>); throws naming a bad name, key or value.</summary>
    public static ExperimentProfile Get(string expression) => ProfileSettings.Resolve(expression);

    /// <summary>One of the base profiles of <see cref="Names"/>.</summary>
    public static ExperimentProfile Named(string name) => name switch
    {
        "paper" => new ExperimentProfile { Name = "paper" },
        "fast" => new ExperimentProfile
        {
            Name = "fast",
            Training = new TrainingOptions { Epochs = 5, BatchSize = 1024 },
            Unlearning = new UnlearningOptions { Steps = 200, EvaluateEvery = 100 },
            Attack = new AttackOptions { Repeats = 1 },
        },
        // For tests and smoke runs on tiny synthetic data only.
        "tiny" => new ExperimentProfile
            {
                Name = "tiny",
                Training = new TrainingOptions { Epochs = 2, BatchSize = 512 },
                Unlearning = new UnlearningOptions { Steps = 20, EvaluateEvery = 10 },
                Attack = new AttackOptions { Repeats = 1, Folds = 3 },
            }
            .WithSection("mlp_attacker", new MlpAttackerOptions { MaxEpochs = 30 })
            .WithSection("tree_attacker", new TreeAttackerOptions { NumberOfTrees = 10 }),
        _ => throw new ArgumentException($"unknown profile '{name}' (expected one of: {string.Join(", ", Names)})"),
    };
}
