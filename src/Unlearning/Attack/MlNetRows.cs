using Microsoft.ML;
using Microsoft.ML.Data;

namespace Unlearning.Attack;

/// <summary>Rows of a representation as ML.NET's binary trainers read them: a boolean label and a
/// float vector of the representation's width.</summary>
internal static class MlNetRows
{
    public static IDataView Load(MLContext ml, float[] x, int[]? y, int rows, int dim)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        var list = new List<Row>(rows);
        for (int i = 0; i < rows; i++)
            list.Add(new Row { Label = y is not null && y[i] == 1, Features = x.AsSpan(i * dim, dim).ToArray() });
        return ml.Data.LoadFromEnumerable(list, schema);
    }

    public const string Label = nameof(Row.Label), Features = nameof(Row.Features), Probability = "Probability";

    /// <summary>The positive class's probability of each scored row.</summary>
    public static double[] Probabilities(IDataView scored) => [.. scored.GetColumn<float>(Probability).Select(p => (double)p)];

    private sealed class Row
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }
}
