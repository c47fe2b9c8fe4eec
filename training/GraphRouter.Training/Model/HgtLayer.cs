using GraphRouter.Training.Graph;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphRouter.Training.Model;

/// <summary>
/// One heterogeneous graph transformer layer, built from <see cref="GraphSchema"/>: per node type K/Q/V
/// projections, per (relation, head) K and V transforms and a learned prior, softmax over every incoming
/// edge of a destination across relations, GELU then a per-type output projection, a gated skip
/// sigmoid(s_type), dropout and LayerNorm. Only destination types (Turn, User) are updated; the other
/// node states pass through.
/// </summary>
public sealed class HgtLayer : Module<Tensor[], GraphTensors, Tensor[]>
{
    private readonly ModuleDict<Linear> key;
    private readonly ModuleDict<Linear> query;
    private readonly ModuleDict<Linear> value;
    private readonly Parameter relationAttention;
    private readonly Parameter relationMessage;
    private readonly Parameter relationPrior;
    private readonly ModuleDict<Linear> output;
    private readonly Parameter skip;
    private readonly Dropout dropout;
    private readonly ModuleDict<LayerNorm> norm;

    private readonly int _heads;
    private readonly int _headSize;

    public HgtLayer(string name, int hidden, int heads, double dropoutRate) : base(name)
    {
        if (hidden % heads != 0)
        {
            throw new ArgumentException($"hidden size {hidden} is not a multiple of {heads} heads", nameof(hidden));
        }
        _heads = heads;
        _headSize = hidden / heads;
        var sources = GraphSchema.Relations.Select(r => r.Source).Distinct().ToList();
        var relations = GraphSchema.Relations.Count;
        key = new ModuleDict<Linear>();
        value = new ModuleDict<Linear>();
        foreach (var type in sources)
        {
            key.Add(type.ToString(), Linear(hidden, hidden));
            value.Add(type.ToString(), Linear(hidden, hidden));
        }
        query = new ModuleDict<Linear>();
        output = new ModuleDict<Linear>();
        norm = new ModuleDict<LayerNorm>();
        foreach (var type in GraphSchema.Destinations)
        {
            query.Add(type.ToString(), Linear(hidden, hidden));
            output.Add(type.ToString(), Linear(hidden, hidden));
            norm.Add(type.ToString(), LayerNorm(hidden));
        }
        var identity = eye(_headSize).unsqueeze(0).unsqueeze(0).repeat(relations, heads, 1, 1);
        relationAttention = Parameter(identity.clone());
        relationMessage = Parameter(identity);
        relationPrior = Parameter(ones(relations, heads));
        skip = Parameter(ones(GraphSchema.NodeTypes.Count));
        dropout = Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <param name="states">Node states per <see cref="NodeType"/> (index = (int)type), each [nodes, hidden].</param>
    public override Tensor[] forward(Tensor[] states, GraphTensors graph)
    {
        var updated = (Tensor[])states.Clone();
        foreach (var destination in GraphSchema.Destinations)
        {
            var x = states[(int)destination];
            var aggregated = Attend(states, graph, destination);
            var projected = dropout.call(output[destination.ToString()].call(functional.gelu(aggregated)));
            var gate = skip[(int)destination].sigmoid();
            updated[(int)destination] = norm[destination.ToString()].call(gate * projected + (1 - gate) * x);
        }
        return updated;
    }

    /// <summary>
    /// The attention step, vectorized: every incoming edge's score (per relation and head), softmax over
    /// each destination's edges across relations, and the weighted sum of messages. [destinations, hidden];
    /// a destination with no incoming edge gets zeros.
    /// </summary>
    public Tensor Attend(Tensor[] states, GraphTensors graph, NodeType destination)
    {
        var x = states[(int)destination];
        var q = query[destination.ToString()].call(x).view(x.shape[0], _heads, _headSize);
        var scores = new List<Tensor>();
        var messages = new List<Tensor>();
        foreach (var (r, relation) in GraphSchema.Into(destination))
        {
            var source = states[(int)relation.Source];
            var keys = key[relation.Source.ToString()].call(source).view(source.shape[0], _heads, _headSize);
            var values = value[relation.Source.ToString()].call(source).view(source.shape[0], _heads, _headSize);
            // [sources, heads, d] x [heads, d, d]: transform each source node once, then gather per edge.
            var k = einsum("nhd,hde->nhe", keys, relationAttention[r]).index_select(0, graph.Sources[r]);
            var v = einsum("nhd,hde->nhe", values, relationMessage[r]).index_select(0, graph.Sources[r]);
            var qe = q.index_select(0, graph.Destinations[r]);
            scores.Add((qe * k).sum(-1) * relationPrior[r] / Math.Sqrt(_headSize));
            messages.Add(v);
        }
        var incoming = graph.Incoming(destination);
        var alpha = SegmentSoftmax.Vectorized(cat(scores, 0), incoming);
        var weighted = cat(messages, 0) * alpha.unsqueeze(-1);
        return zeros([incoming.NodeCount, _heads, _headSize], dtype: x.dtype)
            .index_add(0, incoming.Destinations, weighted, 1)
            .view(incoming.NodeCount, _heads * _headSize);
    }

    /// <summary>
    /// <see cref="Attend"/> by the definition, one destination node and one edge at a time; for tests.
    /// </summary>
    public Tensor AttendReference(Tensor[] states, GraphBatch graph, NodeType destination)
    {
        var count = graph.NodeCount(destination);
        var rows = new List<Tensor>();
        for (var node = 0; node < count; node++)
        {
            var q = query[destination.ToString()].call(states[(int)destination][node]).view(_heads, _headSize);
            var edgeScores = new List<float[]>();
            var edgeMessages = new List<Tensor>();
            foreach (var (r, relation) in GraphSchema.Into(destination))
            {
                var edges = graph.Edges[r];
                for (var e = 0; e < edges.Count; e++)
                {
                    if (edges.Destinations[e] != node)
                    {
                        continue;
                    }
                    var source = states[(int)relation.Source][edges.Sources[e]];
                    var k = key[relation.Source.ToString()].call(source).view(_heads, _headSize);
                    var v = value[relation.Source.ToString()].call(source).view(_heads, _headSize);
                    var score = new float[_heads];
                    var message = new List<Tensor>();
                    for (var h = 0; h < _heads; h++)
                    {
                        var kh = matmul(k[h], relationAttention[r][h]);
                        score[h] = (dot(q[h], kh) * relationPrior[r][h] / Math.Sqrt(_headSize)).item<float>();
                        message.Add(matmul(v[h], relationMessage[r][h]));
                    }
                    edgeScores.Add(score);
                    edgeMessages.Add(stack(message));
                }
            }
            var row = zeros(_heads, _headSize);
            if (edgeScores.Count > 0)
            {
                var table = new float[edgeScores.Count, _heads];
                for (var e = 0; e < edgeScores.Count; e++)
                {
                    for (var h = 0; h < _heads; h++)
                    {
                        table[e, h] = edgeScores[e][h];
                    }
                }
                var alpha = SegmentSoftmax.Reference(table, new int[edgeScores.Count]);
                for (var e = 0; e < edgeScores.Count; e++)
                {
                    for (var h = 0; h < _heads; h++)
                    {
                        row[h] += edgeMessages[e][h] * alpha[e, h];
                    }
                }
            }
            rows.Add(row.view(-1));
        }
        return count == 0 ? zeros(0, _heads * _headSize) : stack(rows);
    }
}
