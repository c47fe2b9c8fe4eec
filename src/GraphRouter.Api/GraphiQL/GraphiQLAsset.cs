using System.IO.Compression;
using System.Security.Cryptography;

namespace GraphRouter.Api.GraphiQL;

/// <summary>One file of the GraphiQL page, held in memory with its entity tag and, once asked for, its gzip form.</summary>
internal sealed class GraphiQLAsset
{
    private readonly Lazy<byte[]> _gzip;

    public GraphiQLAsset(string name, string contentType, byte[] content)
    {
        Name = name;
        ContentType = contentType;
        Content = content;
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16)) + "\"";
        _gzip = new Lazy<byte[]>(() => Compress(content));
    }

    public string Name { get; }
    public string ContentType { get; }
    public byte[] Content { get; }
    public string ETag { get; }
    public byte[] Gzip => _gzip.Value;

    private static byte[] Compress(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }
}
