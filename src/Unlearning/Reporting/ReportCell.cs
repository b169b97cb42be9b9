using Unlearning.Experiments;

namespace Unlearning.Reporting;

/// <summary>State of one cell of a grid as the report sees it: its values, or why it has none.</summary>
public sealed record ReportCell(CellSpec Cell, ReportValues? Result, string? Failure = null);
