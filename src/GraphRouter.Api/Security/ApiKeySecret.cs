using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace GraphRouter.Api.Security;

/// <summary>
/// The text of an API key: <c>gr_</c> and 43 base64url characters (32 random bytes, 256 bits), so a leaked key is
/// recognisable in logs and by secret scanners. The store keeps only <see cref="Hash"/> of it: SHA-256 is enough
/// for a secret this random (no dictionary to guess from), and a leaked table gives no key.
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "gr_";

    private const int RandomBytes = 32;

    /// <summary>The length of every key this service creates.</summary>
    public static readonly int Length = Prefix.Length + Base64Url.GetEncodedLength(RandomBytes);

    /// <summary>A new key from the operating system's cryptographic random source.</summary>
    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>SHA-256 of the key's UTF-8 text as 64 lowercase hex digits: what the store holds and looks keys up by.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>Whether the text has a key's shape (prefix, length, base64url alphabet); anything else is refused without a look-up.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        if (text.Length != Length || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in text[Prefix.Length..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }
        return true;
    }
}
