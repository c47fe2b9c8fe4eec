using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using GraphQLParser.AST;
using GraphRouter.Api.Security;

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
    /// <summary>The least API key role that may run the operation (from its root fields), worked out once per document.</summary>
    public OperationAccess Access { get; } = OperationRoles.Required(Document, Operation);

    /// <summary>
    /// Whether the complexity limit must be checked again for each request's variables: GraphQL.NET's complexity
    /// estimate reads the <c>first</c>/<c>last</c>/<c>id</c> arguments of list fields and honours <c>@skip</c>/<c>@include</c>,
    /// so a variable in any of those changes the figure. A route query's <c>$input</c> does not.
    /// </summary>
    public bool ComplexityDependsOnVariables { get; } = Operation.Variables is { Items.Count: > 0 } && VariablesReachComplexity(Document);

    private static bool VariablesReachComplexity(GraphQLDocument document)
    {
        foreach (var definition in document.Definitions)
        {
            var found = definition switch
            {
                GraphQLOperationDefinition operation => InSelections(operation.SelectionSet),
                GraphQLFragmentDefinition fragment => InDirectives(fragment.Directives) || InSelections(fragment.SelectionSet),
                _ => false,
            };
            if (found)
            {
                return true;
            }
        }

        return false;
    }

    private static bool InSelections(GraphQLSelectionSet? selectionSet)
    {
        if (selectionSet is null)
        {
            return false;
        }

        foreach (var selection in selectionSet.Selections)
        {
            var found = selection switch
            {
                GraphQLField field => InDirectives(field.Directives) || InSizeArguments(field.Arguments) || InSelections(field.SelectionSet),
                GraphQLInlineFragment inline => InDirectives(inline.Directives) || InSelections(inline.SelectionSet),
                GraphQLFragmentSpread spread => InDirectives(spread.Directives),
                _ => false,
            };
            if (found)
            {
                return true;
            }
        }

        return false;
    }

    private static bool InDirectives(GraphQLDirectives? directives) =>
        directives is not null && directives.Items.Any(directive => directive.Arguments is { } arguments && arguments.Items.Any(argument => ContainsVariable(argument.Value)));

    private static bool InSizeArguments(GraphQLArguments? arguments) =>
        arguments is not null && arguments.Items.Any(argument =>
            argument.Name.Value.Span is "first" or "last" or "id" && ContainsVariable(argument.Value));

    private static bool ContainsVariable(GraphQLValue value) => value switch
    {
        GraphQLVariable => true,
        GraphQLListValue list => list.Values is { } values && values.Any(ContainsVariable),
        GraphQLObjectValue obj => obj.Fields is { } fields && fields.Any(field => ContainsVariable(field.Value)),
        _ => false,
    };
}
