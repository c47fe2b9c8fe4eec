using System.Globalization;
using GraphQL.Validation;
using GraphQLParser.AST;
using GraphRouter.Api.Errors;

namespace GraphRouter.Api.Validation;

/// <summary>
/// Caps the aliases in a document: aliases let one request repeat an expensive field (say <c>route</c>) many
/// times, which the per-request limits of the HTTP layer would not otherwise see.
/// </summary>
internal sealed class AliasLimitRule : ValidationRuleBase
{
    private readonly int _maxAliases;

    public AliasLimitRule(int maxAliases)
    {
        _maxAliases = maxAliases;
    }

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aliases = 0;
        foreach (var definition in context.Document.Definitions)
        {
            var selectionSet = definition switch
            {
                GraphQLOperationDefinition operation => operation.SelectionSet,
                GraphQLFragmentDefinition fragment => fragment.SelectionSet,
                _ => null,
            };
            aliases += CountAliases(selectionSet);
        }

        if (aliases > _maxAliases)
        {
            context.ReportError(new LimitExceededError(ApiErrorCode.TooManyAliases, string.Create(CultureInfo.InvariantCulture,
                $"The document uses {aliases} aliases; at most {_maxAliases} are allowed.")));
        }

        return default;
    }

    private static int CountAliases(GraphQLSelectionSet? selectionSet)
    {
        if (selectionSet is null)
        {
            return 0;
        }

        var count = 0;
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    count += (field.Alias is null ? 0 : 1) + CountAliases(field.SelectionSet);
                    break;
                case GraphQLInlineFragment inline:
                    count += CountAliases(inline.SelectionSet);
                    break;
            }
        }

        return count;
    }
}
