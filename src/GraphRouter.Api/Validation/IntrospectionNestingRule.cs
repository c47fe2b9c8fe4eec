using System.Globalization;
using GraphQL.Validation;
using GraphQLParser.AST;
using GraphRouter.Api.Errors;

namespace GraphRouter.Api.Validation;

/// <summary>
/// Refuses introspection that walks the type graph in circles (<c>fields { type { fields { type { ... } } } }</c>):
/// each level multiplies the work by a type's field count, which a complexity estimate with a fixed list
/// multiplier cannot see. Counts the nesting of the list fields that lead from a type to more types
/// (<c>fields</c>, <c>inputFields</c>, <c>interfaces</c>, <c>possibleTypes</c>); GraphiQL's own query nests them once.
/// The schema has no field of its own with those names.
/// </summary>
internal sealed class IntrospectionNestingRule : ValidationRuleBase
{
    public const int MaxNesting = 2;

    public static readonly IntrospectionNestingRule Instance = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var definition in context.Document.Definitions)
        {
            if (definition is GraphQLFragmentDefinition fragment)
            {
                fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
            }
        }

        var deepest = 0;
        foreach (var definition in context.Document.Definitions)
        {
            if (definition is GraphQLOperationDefinition operation)
            {
                deepest = Math.Max(deepest, Deepest(operation.SelectionSet, 0, fragments, []));
            }
        }

        if (deepest > MaxNesting)
        {
            context.ReportError(new LimitExceededError(ApiErrorCode.QueryTooDeep, string.Create(CultureInfo.InvariantCulture,
                $"Introspection nests fields/inputFields/interfaces/possibleTypes {deepest} levels deep; at most {MaxNesting} are allowed.")));
        }

        return default;
    }

    private static int Deepest(GraphQLSelectionSet? selectionSet, int nesting, Dictionary<string, GraphQLFragmentDefinition> fragments, HashSet<string> fragmentPath)
    {
        if (selectionSet is null)
        {
            return nesting;
        }

        var deepest = nesting;
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    var name = field.Name.Value.Span;
                    var level = nesting + (name is "fields" or "inputFields" or "interfaces" or "possibleTypes" ? 1 : 0);
                    deepest = Math.Max(deepest, Deepest(field.SelectionSet, level, fragments, fragmentPath));
                    break;
                case GraphQLInlineFragment inline:
                    deepest = Math.Max(deepest, Deepest(inline.SelectionSet, nesting, fragments, fragmentPath));
                    break;
                case GraphQLFragmentSpread spread:
                    var fragmentName = spread.FragmentName.Name.StringValue;
                    // A cycle is another rule's error; stop following it here.
                    if (fragments.TryGetValue(fragmentName, out var fragment) && fragmentPath.Add(fragmentName))
                    {
                        deepest = Math.Max(deepest, Deepest(fragment.SelectionSet, nesting, fragments, fragmentPath));
                        fragmentPath.Remove(fragmentName);
                    }

                    break;
            }
        }

        return deepest;
    }
}
