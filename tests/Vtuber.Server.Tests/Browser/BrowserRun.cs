using System.Diagnostics;
using System.Text.Json.Nodes;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.Browser;

/// <summary>
/// Runs webclient/test/browser.mjs (playwright-core driving Debian's Chromium) through one scenario against a client
/// URL and returns what the page showed, as the script's JSON line.
/// </summary>
public static class BrowserRun
{
    public static string ChromiumPath { get; } =
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static string WebClientRoot => Path.Combine(RepositoryRoot.Path, "webclient");

    /// <summary>Why browser tests cannot run here, or null when they can.</summary>
    public static string? Problem()
    {
        if (!File.Exists(ChromiumPath))
        {
            return $"needs Chromium at {ChromiumPath} (apt-get install chromium, as .ci/run does; or set CHROMIUM_PATH)";
        }
        if (!File.Exists(Path.Combine(WebClientRoot, "node_modules", "playwright-core", "package.json")))
        {
            return "needs playwright-core in webclient/node_modules (the server's build runs npm ci there; is npm installed?)";
        }
        return null;
    }

    public static async Task<JsonObject> RunAsync(string scenario, Uri clientUrl, string? micWav = null,
        string? screenshot = null)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = WebClientRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["CHROMIUM_PATH"] = ChromiumPath },
        };
        foreach (var argument in new[] { "test/browser.mjs", scenario, clientUrl.ToString(), micWav ?? "", screenshot ?? "" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // The scenario's own waits end in 15-30 s; this only stops a hung browser from hanging the test run.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"browser scenario {scenario} did not end in 90 s: {await errors}");
        }
        var lastLine = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || lastLine is null)
        {
            throw new InvalidOperationException($"browser scenario {scenario} failed (exit {process.ExitCode}): {await errors}");
        }
        var result = JsonNode.Parse(lastLine)!.AsObject();
        if (result["ok"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"browser scenario {scenario}: {result["error"]}\nconsole: {result["console"]}");
        }
        return result;
    }
}
