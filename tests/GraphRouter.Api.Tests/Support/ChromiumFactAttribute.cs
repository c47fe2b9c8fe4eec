namespace GraphRouter.Api.Tests.Support;

/// <summary>
/// A fact that drives Debian's headless Chromium (package <c>chromium</c>, /usr/bin/chromium, or the path in
/// GRAPHROUTER_CHROMIUM). Skipped on a machine without it, except on CI (CI=true), where a missing browser is a failure.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.ExecutablePath is null && !Chromium.OnCi)
        {
            Skip = "Needs Chromium (apt-get install chromium); set GRAPHROUTER_CHROMIUM to its path if it is elsewhere.";
        }
    }
}
