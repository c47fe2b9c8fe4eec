namespace GraphRouter.Core.Featurization;

/// <summary>
/// The one tokenizer training and serving share: lower-cased runs of letters or digits, and each other
/// non-space character as a token of its own (code and multiple-choice prompts are told apart by
/// punctuation as much as by words).
/// </summary>
public static class TextTokenizer
{
    /// <summary>Longer runs of letters or digits are cut to this many characters.</summary>
    public const int MaxTokenLength = 64;

    public static List<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var span = text.AsSpan();
        var i = 0;
        Span<char> buffer = stackalloc char[MaxTokenLength];
        while (i < span.Length)
        {
            var c = span[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (char.IsLetterOrDigit(c))
            {
                var start = i;
                while (i < span.Length && char.IsLetterOrDigit(span[i]))
                {
                    i++;
                }
                var word = span[start..i];
                if (word.Length > buffer.Length)
                {
                    word = word[..buffer.Length];
                }
                var written = word.ToLowerInvariant(buffer);
                tokens.Add(new string(buffer[..written]));
                continue;
            }
            tokens.Add(c.ToString());
            i++;
        }
        return tokens;
    }
}
