namespace GraphRouter.Storage.ApiKeys;

/// <summary>The stored and typed names of <see cref="ApiKeyRole"/>: <c>app</c> and <c>admin</c>, nothing else.</summary>
public static class ApiKeyRoles
{
    /// <summary>The names an operator types, in order of power.</summary>
    public static IReadOnlyList<string> Names { get; } = ["app", "admin"];

    public static string Name(ApiKeyRole role) => role switch
    {
        ApiKeyRole.App => "app",
        ApiKeyRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not an API key role"),
    };

    /// <summary>Parses <c>app</c> or <c>admin</c> (exactly, lowercase); anything else is false.</summary>
    public static bool TryParse(string? text, out ApiKeyRole role)
    {
        switch (text)
        {
            case "app":
                role = ApiKeyRole.App;
                return true;
            case "admin":
                role = ApiKeyRole.Admin;
                return true;
            default:
                role = default;
                return false;
        }
    }

    /// <summary>A role read back from the store; the table's CHECK constraint admits only the two names.</summary>
    internal static ApiKeyRole Parse(string stored) =>
        TryParse(stored, out var role) ? role : throw new InvalidOperationException($"the store holds an API key with unknown role '{stored}'");
}
