using System.Globalization;

namespace Unlearning.Data;

/// <summary>
/// Maps raw user or item ids, in order of first appearance, to dense indices. Numeric tables
/// (MovieLens, LFM-2B) key on the integer value; text tables (custom CSV) key on the string.
/// </summary>
public sealed class RawIdTable
{
    private readonly Dictionary<long, int>? _numeric;
    private readonly List<long>? _numericKeys;
    private readonly Dictionary<string, int>? _text;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _textLookup;
    private readonly List<string>? _textKeys;

    private RawIdTable(bool numeric)
    {
        if (numeric)
        {
            _numeric = [];
            _numericKeys = [];
        }
        else
        {
            _text = new Dictionary<string, int>(StringComparer.Ordinal);
            _textLookup = _text.GetAlternateLookup<ReadOnlySpan<char>>();
            _textKeys = [];
        }
    }

    public static RawIdTable Numeric() => new(numeric: true);

    public static RawIdTable Text() => new(numeric: false);

    public bool IsNumeric => _numeric is not null;

    public int Count => _numericKeys?.Count ?? _textKeys!.Count;

    public int GetOrAdd(long id)
    {
        if (_numeric is null) return GetOrAdd(id.ToString(CultureInfo.InvariantCulture).AsSpan());
        if (_numeric.TryGetValue(id, out var index)) return index;
        index = _numericKeys!.Count;
        _numeric.Add(id, index);
        _numericKeys.Add(id);
        return index;
    }

    public int GetOrAdd(ReadOnlySpan<char> id)
    {
        if (_text is null) throw new InvalidOperationException("numeric id table takes numeric ids");
        if (_textLookup.TryGetValue(id, out var index)) return index;
        index = _textKeys!.Count;
        var key = id.ToString();
        _text.Add(key, index);
        _textKeys.Add(key);
        return index;
    }

    public bool TryGet(ReadOnlySpan<char> id, out int index)
    {
        if (_text is not null) return _textLookup.TryGetValue(id, out index);
        index = -1;
        return long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && _numeric!.TryGetValue(n, out index);
    }

    /// <summary>The raw id of a dense index, as text.</summary>
    public string KeyOf(int index) =>
        _numericKeys is not null ? _numericKeys[index].ToString(CultureInfo.InvariantCulture) : _textKeys![index];

    /// <summary>
    /// Dense indices sorted by ascending raw id: numeric order when every id is an integer
    /// (always for numeric tables), otherwise ordinal string order. This fixes the re-indexing
    /// of protocol step 3 independently of the order of the file.
    /// </summary>
    public int[] AscendingOrder()
    {
        var order = new int[Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (_numericKeys is not null)
        {
            Array.Sort(_numericKeys.ToArray(), order);
            return order;
        }

        var numbers = new long[order.Length];
        bool allNumeric = true;
        for (int i = 0; i < numbers.Length && allNumeric; i++)
            allNumeric = long.TryParse(_textKeys![i], NumberStyles.Integer, CultureInfo.InvariantCulture, out numbers[i]);
        if (allNumeric)
        {
            // Equal numbers with different spellings ("7", "07") keep a fixed order by text.
            Array.Sort(order, (a, b) =>
            {
                int c = numbers[a].CompareTo(numbers[b]);
                return c != 0 ? c : string.CompareOrdinal(_textKeys![a], _textKeys[b]);
            });
        }
        else
        {
            Array.Sort(_textKeys!.ToArray(), order, StringComparer.Ordinal);
        }
        return order;
    }
}
