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
        var keys = new Dictionary<NodeType, Tensor>();
        var values = new Dictionary<NodeType, Tensor>();
        foreach (var type in GraphSchema.Relations.Select(r => r.Source).Distinct())
        {
            keys[type] = key[type.ToString()].call(states[(int)type]).view(states[(int)type].shape[0], _heads, _headSize);
            values[type] = value[type.ToString()].call(states[(int)type]).view(states[(int)type].shape[0], _heads, _headSize);
        }
        var updated = (Tensor[])states.Clone();
        foreach (var destination in GraphSchema.Destinations)
        {
            var x = states[(int)destination];
            var q = query[destination.ToString()].call(x).view(x.shape[0], _heads, _headSize);
            var scores = new List<Tensor>();
            var messages = new List<Tensor>();
            foreach (var (r, relation) in GraphSchema.Into(destination))
            {
                // [sources, heads, d] x [heads, d, d]: transform each source node once, then gather per edge.
                var k = einsum("nhd,hde->nhe", keys[relation.Source], relationAttention[r]).index_select(0, graph.Sources[r]);
                var v = einsum("nhd,hde->nhe", values[relation.Source], relationMessage[r]).index_select(0, graph.Sources[r]);
                var qe = q.index_select(0, graph.Destinations[r]);
                scores.Add((qe * k).sum(-1) * relationPrior[r] / Math.Sqrt(_headSize));
                messages.Add(v);
            }
            var incoming = graph.Incoming(destination);
            var alpha = SegmentSoftmax.Vectorized(cat(scores, 0), incoming);
            var weighted = cat(messages, 0) * alpha.unsqueeze(-1);
            var aggregated = zeros([incoming.NodeCount, _heads, _headSize], dtype: x.dtype)
                .index_add(0, incoming.Destinations, weighted, 1)
                .view(incoming.NodeCount, _heads * _headSize);
            var projected = dropout.call(output[destination.ToString()].call(functional.gelu(aggregated)));
            var gate = skip[(int)destination].sigmoid();
            updated[(int)destination] = norm[destination.ToString()].call(gate * projected + (1 - gate) * x);
        }
        return updated;
    }
}
