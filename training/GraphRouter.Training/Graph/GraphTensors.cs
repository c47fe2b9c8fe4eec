using TorchSharp;
using static TorchSharp.torch;

namespace GraphRouter.Training.Graph;

/// <summary>
/// A <see cref="GraphBatch"/> as tensors, plus, per destination type, its incoming edges of every relation
/// concatenated in schema order with each edge's slot among its destination's incoming edges (what the
/// segment softmax needs to find each destination's maximum without scatter_reduce).
/// Create inside a dispose scope; the tensors belong to it. Host arrays are copied with <see cref="HostTensors"/>
/// (aligned, so that the same batch gives bit-identical results).
/// </summary>
public sealed class GraphTensors
{
    private GraphTensors(GraphBatch batch, Tensor queryFeatures, Tensor responseFeatures, Tensor userStatistics, Tensor[] sources, Tensor[] destinations, Dictionary<NodeType, IncomingEdges> incoming)
    {
        Batch = batch;
        QueryFeatures = queryFeatures;
        ResponseFeatures = responseFeatures;
        UserStatistics = userStatistics;
        Sources = sources;
        Destinations = destinations;
        _incoming = incoming;
    }

    private readonly Dictionary<NodeType, IncomingEdges> _incoming;

    public GraphBatch Batch { get; }
    public Tensor QueryFeatures { get; }
    public Tensor ResponseFeatures { get; }
    /// <summary>[users, response dimension]: the count-aware pooled Response rows.</summary>
    public Tensor UserStatistics { get; }
    /// <summary>Per relation (schema order): source node indices.</summary>
    public Tensor[] Sources { get; }
    /// <summary>Per relation (schema order): destination node indices.</summary>
    public Tensor[] Destinations { get; }

    public IncomingEdges Incoming(NodeType destination) => _incoming[destination];

    public static GraphTensors From(GraphBatch batch)
    {
        var query = HostTensors.Float(batch.QueryFeatures, batch.QueryCount, batch.QueryDimension);
        var response = HostTensors.Float(batch.ResponseFeatures, batch.TurnCount, batch.ResponseDimension);
        var userStatistics = HostTensors.Float(batch.UserStatistics, batch.UserCount, batch.ResponseDimension);
        var sources = batch.Edges.Select(e => HostTensors.Indices(e.Sources)).ToArray();
        var destinations = batch.Edges.Select(e => HostTensors.Indices(e.Destinations)).ToArray();
        var incoming = new Dictionary<NodeType, IncomingEdges>();
        foreach (var type in GraphSchema.Destinations)
        {
            var n = batch.NodeCount(type);
            var all = GraphSchema.Into(type).SelectMany(x => batch.Edges[x.Index].Destinations).ToArray();
            var degree = new int[n];
            var flat = new long[all.Length];
            var maxDegree = 1;
            foreach (var d in all)
            {
                maxDegree = Math.Max(maxDegree, ++degree[d]);
            }
            Array.Clear(degree);
            for (var e = 0; e < all.Length; e++)
            {
                flat[e] = (long)all[e] * maxDegree + degree[all[e]]++;
            }
            incoming[type] = new IncomingEdges(HostTensors.Indices(all), HostTensors.Long(flat, flat.Length), n, maxDegree);
        }
        return new GraphTensors(batch, query, response, userStatistics, sources, destinations, incoming);
    }
}
