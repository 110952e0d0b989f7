namespace Vtuber.Server.Tests.Browser;

/// <summary>A test that runs the web client in Chromium: skipped, with the reason, when Chromium or Node is missing.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserRun.Problem() is { } problem)
        {
            Skip = problem;
        }
    }
}
