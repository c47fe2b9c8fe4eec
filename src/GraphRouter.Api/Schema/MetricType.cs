using GraphQL.Types;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>Metric</c>: one named figure (a policy's or a training run's), listed in name order.</summary>
internal sealed class MetricType : ObjectGraphType<KeyValuePair<string, double>>
{
    public MetricType()
    {
        Name = "Metric";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<FloatGraphType>>("value").Resolve(c => c.Source.Value);
    }

    /// <summary>A metrics dictionary as the list the schema serves: ordered by name, so responses are stable.</summary>
    internal static IEnumerable<KeyValuePair<string, double>> InNameOrder(IReadOnlyDictionary<string, double> metrics) =>
        metrics.OrderBy(metric => metric.Key, StringComparer.Ordinal);
}
