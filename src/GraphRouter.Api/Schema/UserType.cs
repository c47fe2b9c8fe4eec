using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>User</c>: what the service knows of one user.</summary>
internal sealed class UserType : ObjectGraphType<UserView>
{
    public UserType()
    {
        Name = "User";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IntGraphType>>("interactions").Description("Rated interactions stored for the user.").Resolve(c => c.Source.Interactions);
        Field<DateTimeGraphType>("lastSeen").Description("UTC time of the user's latest interaction.").Resolve(c => c.Source.LastSeen?.UtcDateTime);
        Field<FloatGraphType>("embeddingNorm").Description("L2 norm of the user's embedding under the active policy; null when no policy is loaded.").Resolve(c => c.Source.EmbeddingNorm);
    }
}
