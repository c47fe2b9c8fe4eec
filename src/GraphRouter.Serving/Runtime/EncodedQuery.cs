namespace GraphRouter.Serving.Runtime;

/// <summary>
/// A prompt encoded once by a <see cref="PolicyRuntime"/> and reused for every candidate and user: the query
/// encoder's vector (the scorer's query input) and the query's profile (kind probabilities and per-LLM
/// predictions, from which φ(llm, q) of any candidate is written). Valid only with the runtime that made it.
/// </summary>
public sealed class EncodedQuery
{
    private readonly float[] _vector;
    private readonly float[] _profile;

    internal EncodedQuery(object owner, string text, float[] vector, float[] profile)
    {
        Owner = owner;
        Text = text;
        _vector = vector;
        _profile = profile;
    }

    public string Text { get; }

    /// <summary>The query encoder's output, [query dimension].</summary>
    public ReadOnlyMemory<float> Vector => _vector;

    /// <summary>Kind probabilities, then per catalog LLM its predicted correctness, log length and log cost.</summary>
    public ReadOnlyMemory<float> Profile => _profile;

    internal object Owner { get; }

    internal float[] VectorArray => _vector;

    internal float[] ProfileArray => _profile;
}
