namespace Unlearning.Grains;

/// <summary>The grain storage provider name for cell and grid state.</summary>
public static class GridStorage
{
    public const string Name = "grid";
}
