using System.Reflection;
using System.Text;
using GraphQL;
using GraphQLParser;
using GraphQLParser.AST;
using GraphRouter.Api.Schema;

namespace GraphRouter.Api.Tests;

/// <summary>
/// The schema is a public API: the committed SDL (src/GraphRouter.Api/schema.graphql) must match the live schema,
/// and every type, field and argument of DESIGN.md's contract (copied to Fixtures/contract.graphql) must be
/// there with its exact type and default. Set GRAPHROUTER_UPDATE_SCHEMA=1 to rewrite the committed SDL after an
/// intended change, then review its diff.
/// </summary>
public sealed class SchemaTests
{
    private const string UpdateVariable = "GRAPHROUTER_UPDATE_SCHEMA";

    private static string CommittedSdlPath => Path.Combine(
        typeof(SchemaTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "GraphRouterRoot").Value!,
        "src", "GraphRouter.Api", "schema.graphql");

    private static string LiveSdl() => RouterSchema.Create().Print().ReplaceLineEndings("\n").TrimEnd() + "\n";

    [Fact]
    public void Committed_sdl_matches_the_live_schema()
    {
        var live = LiveSdl();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(CommittedSdlPath, live);
        }

        var committed = File.Exists(CommittedSdlPath) ? File.ReadAllText(CommittedSdlPath).ReplaceLineEndings("\n") : "";
        if (committed != live)
        {
            Assert.Fail($"The schema changed. If intended, run the tests with {UpdateVariable}=1 and commit {CommittedSdlPath}.\n"
                + "Diff (- committed, + live):\n" + LineDiff(committed, live));
        }
    }

    [Fact]
    public void Every_contract_type_field_and_argument_is_live_with_its_exact_type_and_default()
    {
        var contract = Parser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "contract.graphql")));
        var live = Parser.Parse(LiveSdl());
        var liveTypes = live.Definitions.OfType<GraphQLTypeDefinition>().ToDictionary(type => type.Name.StringValue);
        var missing = new List<string>();
        var checkedMembers = 0;

        foreach (var type in contract.Definitions.OfType<GraphQLTypeDefinition>())
        {
            var name = type.Name.StringValue;
            if (!liveTypes.TryGetValue(name, out var liveType) || liveType.GetType() != type.GetType())
            {
                missing.Add($"type {name} ({type.Kind})");
                continue;
            }

            foreach (var (member, memberType, defaultValue, arguments) in Members(type))
            {
                checkedMembers++;
                var liveMember = Members(liveType).FirstOrDefault(candidate => candidate.Name == member);
                if (liveMember.Name is null)
                {
                    missing.Add($"{name}.{member}");
                    continue;
                }

                Expect($"{name}.{member}", memberType, liveMember.Type, defaultValue, liveMember.Default);
                foreach (var argument in arguments)
                {
                    checkedMembers++;
                    var liveArgument = liveMember.Arguments.FirstOrDefault(candidate => candidate.Name.StringValue == argument.Name.StringValue);
                    if (liveArgument is null)
                    {
                        missing.Add($"{name}.{member}({argument.Name.StringValue})");
                        continue;
                    }

                    Expect($"{name}.{member}({argument.Name.StringValue})", Print(argument.Type), Print(liveArgument.Type), Print(argument.DefaultValue), Print(liveArgument.DefaultValue));
                }
            }
        }

        Assert.True(checkedMembers > 50, $"only {checkedMembers} members read from the contract fixture");
        Assert.True(missing.Count == 0, "Contract broken:\n" + string.Join("\n", missing));

        void Expect(string where, string type, string liveType, string? defaultValue, string? liveDefault)
        {
            if (type != liveType)
            {
                missing.Add($"{where}: contract type {type}, live {liveType}");
            }

            if (defaultValue != liveDefault)
            {
                missing.Add($"{where}: contract default {defaultValue ?? "(none)"}, live {liveDefault ?? "(none)"}");
            }
        }
    }

    [Fact]
    public void Contract_fixture_is_read_whole()
    {
        var contract = Parser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "contract.graphql")));

        Assert.Equal(
            ["FeedbackInput", "FeedbackResult", "ModelScore", "Mutation", "Query", "RatedResponseInput", "RouteDecision", "RouteInput"],
            contract.Definitions.OfType<GraphQLTypeDefinition>().Select(type => type.Name.StringValue).Order(StringComparer.Ordinal));
    }

    private static IEnumerable<(string Name, string Type, string? Default, IReadOnlyList<GraphQLInputValueDefinition> Arguments)> Members(GraphQLTypeDefinition type) => type switch
    {
        GraphQLObjectTypeDefinition objectType => objectType.Fields?.Items.Select(field =>
            (field.Name.StringValue, Print(field.Type), (string?)null, (IReadOnlyList<GraphQLInputValueDefinition>)(field.Arguments?.Items ?? []))) ?? [],
        GraphQLInputObjectTypeDefinition inputType => inputType.Fields?.Items.Select(field =>
            (field.Name.StringValue, Print(field.Type), Print(field.DefaultValue), (IReadOnlyList<GraphQLInputValueDefinition>)[])) ?? [],
        _ => [],
    };

    private static string Print(GraphQLType type) => type switch
    {
        GraphQLNonNullType nonNull => Print(nonNull.Type) + "!",
        GraphQLListType list => "[" + Print(list.Type) + "]",
        GraphQLNamedType named => named.Name.StringValue,
        _ => type.GetType().Name,
    };

    private static string? Print(GraphQLValue? value) => value switch
    {
        null => null,
        GraphQLIntValue intValue => intValue.Value.ToString(),
        GraphQLFloatValue floatValue => floatValue.Value.ToString(),
        GraphQLStringValue stringValue => "\"" + stringValue.Value + "\"",
        GraphQLBooleanValue booleanValue => booleanValue.Value.ToString(),
        GraphQLEnumValue enumValue => enumValue.Name.StringValue,
        GraphQLNullValue => "null",
        _ => value.GetType().Name,
    };

    /// <summary>A longest-common-subsequence line diff: small schemas, readable output.</summary>
    private static string LineDiff(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var diff = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lengths[x, y + 1] >= lengths[x + 1, y]))
            {
                diff.Append("+ ").AppendLine(b[y++]);
            }
            else
            {
                diff.Append("- ").AppendLine(a[x++]);
            }
        }

        return diff.ToString();
    }
}
