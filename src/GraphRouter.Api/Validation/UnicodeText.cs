using System.Collections;
using GraphQLParser.AST;
using GraphQLParser.Visitors;

using GraphRouter.Core.Domain;

namespace GraphRouter.Api.Validation;

/// <summary>
/// <see cref="StorableText"/>'s rule applied to a whole request: well-formed Unicode and no NUL character. Checked by the
/// /graphql endpoint over the variables and the document's string literals before anything runs, so such input is a
/// <c>BAD_USER_INPUT</c> on every backend and reaches no resolver and no store.
/// </summary>
internal static class UnicodeText
{
    public const string Problem = StorableText.Problem;

    public static bool IsStorable(string value) => StorableText.IsStorable(value);

    /// <summary>The first string among the variables (nested objects and lists included) that is not storable; null when all are.</summary>
    public static string? FirstUnstorable(object? value) => value switch
    {
        string text => IsStorable(text) ? null : text,
        IReadOnlyDictionary<string, object?> map => map.Select(entry => IsStorable(entry.Key) ? FirstUnstorable(entry.Value) : entry.Key).FirstOrDefault(found => found is not null),
        IDictionary<string, object?> map => map.Select(entry => IsStorable(entry.Key) ? FirstUnstorable(entry.Value) : entry.Key).FirstOrDefault(found => found is not null),
        IEnumerable items => items.Cast<object?>().Select(FirstUnstorable).FirstOrDefault(found => found is not null),
        _ => null,
    };

    /// <summary>Whether every string literal (and block string) of the document is storable.</summary>
    public static bool LiteralsStorable(GraphQLDocument document)
    {
        var context = new LiteralContext();
        new LiteralVisitor().VisitAsync(document, context).AsTask().GetAwaiter().GetResult();
        return context.Storable;
    }

    private sealed class LiteralContext : IASTVisitorContext
    {
        public bool Storable { get; set; } = true;

        public CancellationToken CancellationToken => CancellationToken.None;
    }

    private sealed class LiteralVisitor : ASTVisitor<LiteralContext>
    {
        protected override ValueTask VisitStringValueAsync(GraphQLStringValue stringValue, LiteralContext context)
        {
            if (!IsStorable(stringValue.Value.ToString()))
            {
                context.Storable = false;
            }

            return ValueTask.CompletedTask;
        }
    }
}
