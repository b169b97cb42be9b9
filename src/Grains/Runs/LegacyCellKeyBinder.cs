using Newtonsoft.Json.Serialization;
using Unlearning.Experiments;

namespace Unlearning.Grains;

/// <summary>Reads the type names of JSON grain states written before cells became <see cref="CellSpec"/>s:
/// the old CellKey record (same five members) is read as a <see cref="CellSpec"/>, also inside generic
/// type names (a list of cells); every other name goes to Orleans' own binder.</summary>
public sealed class LegacyCellKeyBinder(ISerializationBinder orleans) : ISerializationBinder
{
    private const string OldName = "Unlearning.Grains.CellKey", OldAssembly = "Unlearning.Grains.Interfaces";
    private static readonly string NewName = typeof(CellSpec).FullName!, NewAssembly = typeof(CellSpec).Assembly.GetName().Name!;

    public Type BindToType(string? assemblyName, string typeName) =>
        typeName == OldName && assemblyName == OldAssembly
            ? typeof(CellSpec)
            : orleans.BindToType(assemblyName, typeName.Replace($"[{OldName}, {OldAssembly}]", $"[{NewName}, {NewAssembly}]", StringComparison.Ordinal));

    public void BindToName(Type serializedType, out string? assemblyName, out string? typeName) =>
        orleans.BindToName(serializedType, out assemblyName, out typeName);
}
