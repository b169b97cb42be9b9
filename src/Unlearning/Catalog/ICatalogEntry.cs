namespace Unlearning.Catalog;

/// <summary>One entry of the catalog: the name the command line and the store use, the label the
/// tables use, and other names it answers to (any case).</summary>
public interface ICatalogEntry
{
    string Name { get; }
    string Label { get; }
    IReadOnlyList<string> Aliases { get; }
}
