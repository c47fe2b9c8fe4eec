using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace GraphRouter.Api.Observability;

/// <summary>
/// Where and how often the service pushes its traces and metrics to an OpenTelemetry collector over OTLP/HTTP
/// (protobuf): traces to <c>{Endpoint}/v1/traces</c>, metrics to <c>{Endpoint}/v1/metrics</c>, as service
/// <c>graphrouter</c>. Traces are ASP.NET Core's request spans with the API's <c>route</c> and <c>submitFeedback</c>
/// activities inside them; metrics are every instrument of <see cref="RouterTelemetry"/> (the series /metrics shows).
/// </summary>
public sealed record OtlpExportOptions(Uri Endpoint, TimeSpan Interval)
{
    /// <summary>The shortest export interval accepted.</summary>
    public static TimeSpan MinInterval { get; } = TimeSpan.FromSeconds(0.1);

    /// <summary>The longest export interval accepted.</summary>
    public static TimeSpan MaxInterval { get; } = TimeSpan.FromHours(1);

    /// <summary>The problems with these options, empty when there are none (an http or https URL, an interval within <see cref="MinInterval"/> and <see cref="MaxInterval"/>).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Endpoint.IsAbsoluteUri || Endpoint.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(Endpoint.Query) || !string.IsNullOrEmpty(Endpoint.Fragment))
        {
            problems.Add($"the OTLP endpoint must be an http or https URL without query or fragment, e.g. http://collector:4318, got '{Endpoint}'");
        }

        if (Interval < MinInterval || Interval > MaxInterval)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"the OTLP export interval must lie within {MinInterval.TotalSeconds} s and {MaxInterval.TotalHours} h, got {Interval.TotalSeconds} s"));
        }

        return problems;
    }

    /// <summary>The signal's URL: the endpoint's path with <c>v1/traces</c> or <c>v1/metrics</c> appended.</summary>
    internal Uri SignalUri(string signal)
    {
        var basePath = Endpoint.AbsoluteUri.EndsWith('/') ? Endpoint.AbsoluteUri : Endpoint.AbsoluteUri + "/";
        return new Uri(new Uri(basePath), "v1/" + signal);
    }
}

/// <summary>Registers the OpenTelemetry SDK with OTLP exporters for <see cref="OtlpExportOptions"/>.</summary>
internal static class OtlpExport
{
    public static void AddOtlpExport(this IServiceCollection services, OtlpExportOptions options)
    {
        var milliseconds = (int)Math.Max(1, options.Interval.TotalMilliseconds);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("graphrouter", serviceVersion: typeof(OtlpExport).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing
                .AddSource(RouterTelemetry.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(exporter =>
                {
                    exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                    exporter.Endpoint = options.SignalUri("traces");
                    exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = milliseconds;
                }))
            .WithMetrics(metrics => metrics
                .AddMeter(RouterTelemetry.SourceName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                    exporter.Endpoint = options.SignalUri("metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = milliseconds;
                }));
    }
}
