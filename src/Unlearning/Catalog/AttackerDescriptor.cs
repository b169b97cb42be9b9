using Unlearning.Attack;
using Unlearning.Util;

namespace Unlearning.Catalog;

/// <summary>One attacker: its options section, how it is built from them, the prefix of its columns
/// in the published Table 3 (null: the paper has none), and whether every cell runs it (the paper's
/// attackers) or only an <c>attack</c> that names it.</summary>
public sealed record AttackerDescriptor : ICatalogEntry
{
    public required string Name { get; init; }
    public required string Label { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required OptionsSectionInfo Options { get; init; }

    public required Func<OptionsSection, IAttacker> Create { get; init; }

    public string? PaperPrefix { get; init; }

    /// <summary>Run by every cell (protocol.md section 6); otherwise on demand (<c>attack --attackers</c>).</summary>
    public bool InProtocol { get; init; }
}
