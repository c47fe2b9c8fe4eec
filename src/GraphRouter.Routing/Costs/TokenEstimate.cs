namespace GraphRouter.Routing.Costs;

/// <summary>
/// Token counts without a vendor tokenizer: one token per 4 characters, rounded up (the usual rule of
/// thumb for English text with BPE tokenizers), and at least 1 for non-empty text.
/// </summary>
public static class TokenEstimate
{
    public const double CharsPerToken = 4.0;

    public static int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : (int)Math.Ceiling(text.Length / CharsPerToken);
    }
}
