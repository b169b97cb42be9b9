using Unlearning.Util;

namespace Unlearning.Catalog;

/// <summary>A catalog entry's own options: the section name of its settings ("ncf" in
/// <c>ncf.gmf_dim</c>) and its defaults (the paper's).</summary>
public sealed record OptionsSectionInfo(string Name, OptionsSection Default);
