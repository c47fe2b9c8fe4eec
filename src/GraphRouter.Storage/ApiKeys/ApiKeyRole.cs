namespace GraphRouter.Storage.ApiKeys;

/// <summary>
/// What an API key may do. <see cref="App"/> is what an application embeds: routing, feedback and the
/// read-only look-ups they need. <see cref="Admin"/> is for operators: everything an app key may, plus the model
/// registry, training and policy activation. Stored as <c>app</c> and <c>admin</c>.
/// </summary>
public enum ApiKeyRole
{
    App,
    Admin,
}
