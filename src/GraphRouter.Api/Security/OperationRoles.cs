using GraphQLParser;
using GraphQLParser.AST;
using GraphRouter.Storage.ApiKeys;

namespace GraphRouter.Api.Security;

/// <summary>What an operation needs: the least role that may run all of its root fields, and the first field that needs it.</summary>
internal readonly record struct OperationAccess(ApiKeyRole Role, string? Field);

/// <summary>
/// The role table: the least role for each root field of the schema. An app key routes, sends feedback and reads
/// what routing shows anyway (models and their prices, a user's summary, the active policy); everything that
/// changes the deployment (models, training, activation) or reads operators' data (every policy, training runs)
/// needs an admin key. A request is checked whole, before execution, from its operation's root fields (through
/// fragments), so a refused request runs nothing. A test holds this table to the schema: a new root field must be
/// classified here.
/// </summary>
internal static class OperationRoles
{
    public static IReadOnlyDictionary<string, ApiKeyRole> Query { get; } = new Dictionary<string, ApiKeyRole>(StringComparer.Ordinal)
    {
        ["route"] = ApiKeyRole.App,
        ["models"] = ApiKeyRole.App,
        ["user"] = ApiKeyRole.App,
        ["policy"] = ApiKeyRole.App,
        ["policies"] = ApiKeyRole.Admin,
        ["trainingRuns"] = ApiKeyRole.Admin,
    };

    public static IReadOnlyDictionary<string, ApiKeyRole> Mutation { get; } = new Dictionary<string, ApiKeyRole>(StringComparer.Ordinal)
    {
        ["submitFeedback"] = ApiKeyRole.App,
        ["registerModel"] = ApiKeyRole.Admin,
        ["setModelAvailability"] = ApiKeyRole.Admin,
        ["startTraining"] = ApiKeyRole.Admin,
        ["activatePolicy"] = ApiKeyRole.Admin,
        ["rollbackPolicy"] = ApiKeyRole.Admin,
    };

    /// <summary>
    /// The least role for <paramref name="operation"/>. Introspection (<c>__schema</c>, <c>__type</c>,
    /// <c>__typename</c>) is open to every key. A name the table does not know is left to validation, which
    /// rejects it as an unknown field; <c>@skip</c>/<c>@include</c> are ignored (a field that might run counts).
    /// </summary>
    public static OperationAccess Required(GraphQLDocument document, GraphQLOperationDefinition operation)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(operation);
        var table = operation.Operation == OperationType.Mutation ? Mutation : Query;
        var access = new OperationAccess(ApiKeyRole.App, null);
        Walk(document, operation.SelectionSet, table, new HashSet<string>(StringComparer.Ordinal), ref access);
        return access;
    }

    private static void Walk(GraphQLDocument document, GraphQLSelectionSet? selections, IReadOnlyDictionary<string, ApiKeyRole> table, HashSet<string> fragmentsSeen, ref OperationAccess access)
    {
        if (selections is null)
        {
            return;
        }

        foreach (var selection in selections.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    var name = field.Name.StringValue;
                    if (table.TryGetValue(name, out var role) && role > access.Role)
                    {
                        access = new OperationAccess(role, name);
                    }
                    break;
                case GraphQLInlineFragment inline:
                    Walk(document, inline.SelectionSet, table, fragmentsSeen, ref access);
                    break;
                case GraphQLFragmentSpread spread:
                    var fragmentName = spread.FragmentName.Name.StringValue;
                    if (fragmentsSeen.Add(fragmentName) && document.FindFragmentDefinition(fragmentName) is { } fragment)
                    {
                        Walk(document, fragment.SelectionSet, table, fragmentsSeen, ref access);
                    }
                    break;
            }
        }
    }
}
