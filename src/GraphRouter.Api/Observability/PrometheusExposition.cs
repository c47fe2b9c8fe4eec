using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace GraphRouter.Api.Observability;

/// <summary>
/// The instruments of one <see cref="Meter"/> in the Prometheus text exposition format (version 0.0.4), collected
/// with a <see cref="MeterListener"/>. Written here rather than taken from OpenTelemetry's Prometheus exporter, whose
/// ASP.NET Core package is served only as a prerelease: counters and up-down counters keep a running sum per label
/// set, histograms keep cumulative buckets (the instrument's advised boundaries), a sum and a count, and observable
/// instruments are read at each scrape (a series they no longer report disappears). Names follow Prometheus
/// conventions: dots become underscores, a unit of seconds adds <c>_seconds</c>, counters end in <c>_total</c>.
/// </summary>
public sealed class PrometheusExposition : IDisposable
{
    /// <summary>The response's content type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly Lock _scrape = new();

    public PrometheusExposition(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _meter = meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // By reference, not by name: another host in the same process has a meter of the same name.
            if (ReferenceEquals(instrument.Meter, _meter))
            {
                _instruments.TryAdd(instrument, new InstrumentState(instrument));
                listener.EnableMeasurementEvents(instrument, _instruments[instrument]);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and writes every series, instruments in name order.</summary>
    public string Scrape()
    {
        var text = new StringBuilder(4096);
        lock (_scrape)
        {
            foreach (var state in _instruments.Values.Where(s => s.Observable))
            {
                state.Clear();
            }

            _listener.RecordObservableInstruments();
            foreach (var state in _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                state.WriteTo(text);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>A metric or label name with every character Prometheus does not allow replaced by '_'.</summary>
    internal static string SanitizeName(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var allowed = char.IsAsciiLetter(c) || c == '_' || c == ':' || (i > 0 && char.IsAsciiDigit(c));
            chars[i] = allowed ? c : '_';
        }

        return new string(chars);
    }

    /// <summary>A label value with backslash, double quote and newline escaped as the format requires.</summary>
    internal static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The series of one instrument, keyed by their rendered label set.</summary>
    private sealed class InstrumentState
    {
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly Kind _kind;
        private readonly bool _lastValue;
        private readonly double[] _buckets;
        private readonly string? _help;

        public InstrumentState(Instrument instrument)
        {
            var type = instrument.GetType();
            var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
            _kind = generic == typeof(Histogram<>) ? Kind.Histogram
                : generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>) ? Kind.Counter
                : Kind.Gauge;
            Observable = instrument.IsObservable;
            _lastValue = Observable || generic == typeof(Gauge<>);
            _buckets = (instrument as Histogram<double>)?.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBuckets;
            _help = instrument.Description;
            var name = SanitizeName(instrument.Name);
            if (instrument.Unit == "s")
            {
                name += "_seconds";
            }

            Name = _kind == Kind.Counter ? name + "_total" : name;
        }

        public string Name { get; }

        public bool Observable { get; }

        public void Clear() => _series.Clear();

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var series = _series.GetOrAdd(Labels(tags), _ => new Series(_buckets.Length));
            lock (series)
            {
                switch (_kind)
                {
                    case Kind.Histogram:
                        var bucket = Array.FindIndex(_buckets, upper => value <= upper);
                        series.Buckets[bucket < 0 ? _buckets.Length : bucket]++;
                        series.Count++;
                        series.Value += value;
                        break;
                    case Kind.Counter when !Observable:
                        series.Value += value;
                        break;
                    default:
                        // Observable instruments and gauges report the current value; an up-down counter adds its deltas.
                        series.Value = _lastValue ? value : series.Value + value;
                        break;
                }
            }
        }

        public void WriteTo(StringBuilder text)
        {
            if (_series.IsEmpty)
            {
                return;
            }

            if (!string.IsNullOrEmpty(_help))
            {
                text.Append("# HELP ").Append(Name).Append(' ').Append(_help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            }

            text.Append("# TYPE ").Append(Name).Append(' ').Append(_kind switch { Kind.Histogram => "histogram", Kind.Counter => "counter", _ => "gauge" }).Append('\n');
            foreach (var (labels, series) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (_kind != Kind.Histogram)
                    {
                        text.Append(Name).Append(Braced(labels)).Append(' ').Append(Number(series.Value)).Append('\n');
                        continue;
                    }

                    long cumulative = 0;
                    for (var i = 0; i <= _buckets.Length; i++)
                    {
                        cumulative += series.Buckets[i];
                        var le = i < _buckets.Length ? Number(_buckets[i]) : "+Inf";
                        var withLe = labels.Length == 0 ? $"le=\"{le}\"" : $"{labels},le=\"{le}\"";
                        text.Append(Name).Append("_bucket{").Append(withLe).Append("} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    }

                    text.Append(Name).Append("_sum").Append(Braced(labels)).Append(' ').Append(Number(series.Value)).Append('\n');
                    text.Append(Name).Append("_count").Append(Braced(labels)).Append(' ').Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        private static string Braced(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

        /// <summary><c>a="x",b="y"</c> in label-name order, so equal tag sets in any order land in one series.</summary>
        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return "";
            }

            var pairs = new (string Name, string Value)[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                pairs[i] = (SanitizeName(tags[i].Key), EscapeLabelValue(Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? ""));
            }

            Array.Sort(pairs, (a, b) => string.CompareOrdinal(a.Name, b.Name));
            return string.Join(',', pairs.Select(p => $"{p.Name}=\"{p.Value}\""));
        }
    }

    private sealed class Series(int buckets)
    {
        public double Value;
        public long Count;
        public readonly long[] Buckets = new long[buckets + 1];
    }

    private enum Kind
    {
        Counter,
        Gauge,
        Histogram,
    }
}
