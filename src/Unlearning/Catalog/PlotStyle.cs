namespace Unlearning.Catalog;

/// <summary>How a method's points look in the utility/privacy plot: a colour ("#RRGGBB") and a
/// marker, by the name of ScottPlot's <c>MarkerShape</c>.</summary>
public sealed record PlotStyle(string Colour, string Marker);
