namespace GraphRouter.Training.Model;

/// <summary>Sizes of the heterogeneous graph transformer and the scorer.</summary>
public sealed record HgtOptions
{
    /// <summary>Hidden size of the graph transformer (GMTRouter: 768).</summary>
    public int Hidden { get; init; } = 64;
    /// <summary>Attention heads of the graph transformer (GMTRouter: 4).</summary>
    public int Heads { get; init; } = 4;
    public int Layers { get; init; } = 2;
    /// <summary>The query tower's bottleneck: the encoder's vector is squeezed to this many features.</summary>
    public int QueryBottleneck { get; init; } = 32;
    /// <summary>Size of each LLM's learned vector.</summary>
    public int LlmDimension { get; init; } = 32;
    /// <summary>Scorer hidden size H.</summary>
    public int ScorerHidden { get; init; } = 128;
    public int ScorerHeads { get; init; } = 4;
    public double Dropout { get; init; } = 0.1;
    /// <summary>Rank of the scorer's direct bilinear user × (LLM, φ) term.</summary>
    public int BilinearRank { get; init; } = 16;
    /// <summary>Dropout on the query encoder's raw vector, against memorizing training prompts.</summary>
    public double InputDropout { get; init; } = 0.2;
}
