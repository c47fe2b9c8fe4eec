namespace GraphRouter.Evaluation.Metrics;

/// <summary>
/// One evaluated pair in fixed orientation: responses i &lt; j of one interaction in rating-list order.
/// <see cref="FirstPreferred"/> = rating_i &gt; rating_j (tied ratings never become pairs);
/// <see cref="Margin"/> = score_i - score_j.
/// </summary>
public readonly record struct ScoredPair(string User, double Margin, bool FirstPreferred)
{
    /// <summary>1 when the sign of the margin agrees with the label, 0.5 for a predicted tie, else 0.</summary>
    public double Credit => Margin == 0 ? 0.5 : (Margin > 0) == FirstPreferred ? 1 : 0;
}
