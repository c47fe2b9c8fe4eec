using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using GraphQLParser.AST;

namespace GraphRouter.Api.Http;

/// <summary>
/// Parsed and validated operations keyed by (query text, operation name), so a repeated query skips parsing and
/// the document-only validation rules. Bounded: when full it starts over rather than track recency, which keeps
/// a lookup a single dictionary read. Documents are shared read-only between concurrent requests.
/// </summary>
internal sealed class DocumentCache
{
    private readonly ConcurrentDictionary<DocumentKey, CachedOperation> _entries = new();
    private readonly int _capacity;
    private int _count;

    public DocumentCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    public int Count => _entries.Count;

    public bool TryGet(DocumentKey key, [MaybeNullWhen(false)] out CachedOperation operation) =>
        _entries.TryGetValue(key, out operation);

    /// <summary>Adds an operation that passed validation.</summary>
    public void Add(DocumentKey key, CachedOperation operation)
    {
        if (_capacity == 0)
        {
            return;
        }

        if (Interlocked.Increment(ref _count) > _capacity)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        _entries[key] = operation;
    }
}

/// <summary>What identifies a cached operation: validation covers the document and the operation it selected.</summary>
internal readonly record struct DocumentKey(string Query, string? OperationName);

/// <summary>A parsed document, the operation selected in it, and whether that pair already passed validation.</summary>
internal sealed record CachedOperation(GraphQLDocument Document, GraphQLOperationDefinition Operation, bool Validated)
{
    /// <summary>Variables can change argument values that complexity depends on (<c>last</c>), so such operations re-run that rule.</summary>
    public bool HasVariables { get; } = Operation.Variables is { Items.Count: > 0 };
}
