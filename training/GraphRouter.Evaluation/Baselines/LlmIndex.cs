using GraphRouter.Core.Datasets;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>Dense indices for a dataset's LLMs, in catalog order.</summary>
internal sealed class LlmIndex
{
    private readonly Dictionary<string, int> _index;

    public LlmIndex(IEnumerable<string> names)
    {
        Names = names.ToArray();
        _index = Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
    }

    public LlmIndex(PreferenceDataset data) : this(data.Llms.Select(l => l.Name))
    {
    }

    public IReadOnlyList<string> Names { get; }
    public int Count => Names.Count;
    public int this[string name] => _index[name];
    public bool TryGet(string name, out int index) => _index.TryGetValue(name, out index);
}
