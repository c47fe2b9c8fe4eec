namespace GraphRouter.Core.Domain;

/// <summary>
/// The rule every stored string obeys on both backends: well-formed Unicode (no unpaired surrogate, which has no
/// UTF-8 form) and no NUL character (PostgreSQL refuses it in text and jsonb). The service refuses other input as
/// bad input before it reaches a store; the API also checks whole requests with it before anything runs.
/// </summary>
public static class StorableText
{
    public const string Problem = "must be well-formed Unicode text without NUL characters (U+0000) or unpaired surrogates";

    public static bool IsStorable(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 == value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }
}
