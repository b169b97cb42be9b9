using ScottPlot;

namespace Unlearning.Plots;

/// <summary>A figure of several panels in a grid under one title, saved as one PNG.</summary>
internal sealed class Panels
{
    private readonly Multiplot _figure = new();
    private readonly Plot[] _panels;
    private readonly int _columns, _rows;

    public const int PanelWidth = 300, PanelHeight = 240, TitleHeight = 40;

    public Panels(string title, int count, int columns)
    {
        _columns = Math.Min(columns, count);
        _rows = (count + _columns - 1) / _columns;
        _header = _figure.AddPlot();
        _header.Axes.Frameless();
        _header.HideGrid();
        _header.Title(title, 16);
        _panels = new Plot[count];
        for (int i = 0; i < count; i++) _panels[i] = _figure.AddPlot();
    }

    private readonly Plot _header;

    public Plot this[int index] => _panels[index];

    public int Count => _panels.Length;

    public void Save(string path, int panelWidth = PanelWidth, int panelHeight = PanelHeight)
    {
        // The layout divides the height into equal rows: the title takes one, each panel as many as
        // make its height (in units of the title's).
        if (panelHeight % TitleHeight != 0) throw new ArgumentException($"panel height {panelHeight} is not a multiple of {TitleHeight}");
        int span = panelHeight / TitleHeight;
        int gridRows = 1 + _rows * span;
        var layout = new ScottPlot.MultiplotLayouts.CustomGrid();
        layout.Set(_header, new GridCell(0, 0, gridRows, _columns, 1, _columns));
        for (int i = 0; i < _panels.Length; i++)
            layout.Set(_panels[i], new GridCell(1 + i / _columns * span, i % _columns, gridRows, _columns, span, 1));
        _figure.Layout = layout;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _figure.SavePng(path, _columns * panelWidth, TitleHeight + _rows * span * TitleHeight);
    }
}
