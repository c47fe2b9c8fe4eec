using System.Security.Cryptography;
using System.Text;

namespace GraphRouter.Storage.Feedback;

/// <summary>
/// How feedback maps onto graph identities, the same on every backend so that a store can be moved or
/// replayed into another: the conversation of feedback that names none, and the Query node of a text.
/// </summary>
public static class FeedbackConventions
{
    /// <summary>The prefix of the conversation id given to feedback that names no conversation.</summary>
    public const string KeyConversationPrefix = "feedback:";

    /// <summary>The prefix of the external id of a Query node created by feedback.</summary>
    public const string QueryIdPrefix = "sha256:";

    /// <summary>
    /// The conversation of a feedback without one: <c>feedback:</c> followed by its idempotency key. The
    /// key is unique, so such feedback never collides with another interaction's (user, conversation, step).
    /// </summary>
    public static string ConversationFor(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return KeyConversationPrefix + idempotencyKey;
    }

    /// <summary>
    /// The external id of the Query node a feedback's text maps to: <c>sha256:</c> followed by the lower-case
    /// hex SHA-256 of the exact text in UTF-8 (no trimming or case folding), so every feedback asking the same
    /// text shares one node. Imported queries keep their dataset ids and are not merged with it.
    /// </summary>
    public static string QueryExternalId(string queryText)
    {
        ArgumentNullException.ThrowIfNull(queryText);
        return QueryIdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(queryText)));
    }
}
