using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Unlearning.Grains.Tests.Observability;

/// <summary>
/// The Prometheus series one <see cref="Meter"/> would give a scrape, counted with a
/// <see cref="MeterListener"/> as the OpenTelemetry exporter sees the measurements: an observable
/// instrument's series are the label sets of its latest callback; a counter's are every label set it
/// was ever given (cumulative); a histogram's each give a series per bucket, +Inf included, plus
/// <c>_sum</c> and <c>_count</c>.
/// </summary>
public sealed class MeterSeries : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, IReadOnlyDictionary<string, string>>> _recorded = new();
    private Dictionary<Instrument, Dictionary<string, (IReadOnlyDictionary<string, string> Labels, double Value)>> _observed = [];

    public MeterSeries(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>One measurement as a scrape would show it: instrument, labels and (for gauges) value.</summary>
    public sealed record Sample(string Instrument, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Runs every observable instrument's callback (a scrape) and returns their measurements.</summary>
    public IReadOnlyList<Sample> Scrape()
    {
        _observed = [];
        _listener.RecordObservableInstruments();
        return [.. _observed.SelectMany(i => i.Value.Values.Select(s => new Sample(i.Key.Name, s.Labels, s.Value)))];
    }

    /// <summary>The series of the latest <see cref="Scrape"/> and of every counter and histogram so far.</summary>
    public int Count => _observed.Sum(i => i.Value.Count) + _recorded.Sum(i => i.Value.Count * SeriesPerLabelSet(i.Key));

    /// <summary>Series per instrument name (latest scrape, counters and histograms so far).</summary>
    public IReadOnlyDictionary<string, int> ByInstrument() =>
        _observed.Select(i => (i.Key.Name, i.Value.Count))
            .Concat(_recorded.Select(i => (i.Key.Name, i.Value.Count * SeriesPerLabelSet(i.Key))))
            .GroupBy(i => i.Item1).ToDictionary(g => g.Key, g => g.Sum(i => i.Item2));

    /// <summary>The label sets a counter or histogram was given.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Recorded(string instrument) =>
        [.. _recorded.Where(i => i.Key.Name == instrument).SelectMany(i => i.Value.Values)];

    private static int SeriesPerLabelSet(Instrument instrument) => instrument switch
    {
        Histogram<double> h => (h.Advice?.HistogramBucketBoundaries?.Count ?? DefaultBoundaries) + 3,
        _ => 1,
    };

    /// <summary>OpenTelemetry's default explicit bucket boundaries (0, 5, 10, ..., 10000).</summary>
    private const int DefaultBoundaries = 15;

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct, IConvertible
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in tags) labels[k] = Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
        var key = string.Join(',', labels.Select(l => $"{l.Key}={l.Value}"));
        if (instrument.IsObservable)
        {
            lock (_observed)
            {
                if (!_observed.TryGetValue(instrument, out var series)) _observed[instrument] = series = [];
                series[key] = (labels, value.ToDouble(CultureInfo.InvariantCulture));
            }
        }
        else
        {
            _recorded.GetOrAdd(instrument, _ => new()).TryAdd(key, labels);
        }
    }

    public void Dispose() => _listener.Dispose();
}
