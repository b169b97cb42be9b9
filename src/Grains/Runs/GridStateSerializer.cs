using Orleans.Serialization;
using Orleans.Storage;

namespace Unlearning.Grains;

/// <summary>How grid and cell grain state is written to storage: Orleans' own binary serialiser, which
/// writes only the members a type numbers with [Id] and honours surrogates (a cell travels as its
/// <see cref="CellKey"/>). States written before (Orleans' default JSON, which walked every property
/// and named the old CellKey record's type) are still read, through <see cref="LegacyCellKeyBinder"/>,
/// so a grid running across an upgrade keeps its cells; the next write stores them in binary.</summary>
public sealed class GridStateSerializer(Serializer binary, OrleansJsonSerializer legacyJson) : IGrainStorageSerializer
{
    private readonly OrleansGrainStorageSerializer _binary = new(binary);
    private readonly JsonGrainStorageSerializer _legacy = new(legacyJson);

    /// <summary>Orleans' JSON serialiser as a silo configures it by default, reading old cell keys as cell specs.</summary>
    public static OrleansJsonSerializer LegacyJson(IServiceProvider services)
    {
        var settings = OrleansJsonSerializerSettings.GetDefaultSerializerSettings(services);
        settings.SerializationBinder = new LegacyCellKeyBinder(settings.SerializationBinder!);
        return new OrleansJsonSerializer(Microsoft.Extensions.Options.Options.Create(new OrleansJsonSerializerOptions { JsonSerializerSettings = settings }));
    }

    public BinaryData Serialize<T>(T? input) => _binary.Serialize(input);

    public T? Deserialize<T>(BinaryData input) => IsLegacyJson(input) ? _legacy.Deserialize<T>(input) : _binary.Deserialize<T>(input);

    /// <summary>A JSON object: what the default serialiser wrote (a binary state never starts with '{"',
    /// which GridStateSerializerTests checks for both state types).</summary>
    public static bool IsLegacyJson(BinaryData input) => input.ToMemory().Span is [(byte)'{', (byte)'"', ..];
}
