using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.Observability;

/// <summary>/metrics, /health/* and the dashboard's summary, read over HTTP from a real server after a real turn.</summary>
public sealed class MetricsAndHealthTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly RunningServer _server = fixture.Server;
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.BaseUri };

    public void Dispose() => _http.Dispose();

    private async Task TextTurnAsync(string text)
    {
        await using var client = await _server.ConnectPastGreetingAsync();
        _server.Llm.ReplyTo(text, new FakeReply(["Hi there.", " Nice to meet you."]));
        await client.SendAsync(new { type = "text-input", text, images = Array.Empty<object>() });
        await client.ReceiveUntilAsync("backend-synth-complete");
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");
    }

    [Fact]
    public async Task After_a_text_turn_metrics_show_the_documented_names_with_counts()
    {
        await TextTurnAsync("metrics please");

        string text = "";
        await Eventually.TrueAsync(async () =>
        {
            text = await _http.GetStringAsync("/metrics");
            return Value(text, "vtuber_turns_total", "outcome=\"completed\"") > 0;
        }, because: "a completed turn in /metrics");
        Assert.True(Value(text, "vtuber_turn_first_audio_seconds_count") > 0, text);
        Assert.True(Value(text, "vtuber_llm_first_token_seconds_count") > 0, text);
        Assert.True(Value(text, "vtuber_tts_sentence_seconds_count", "engine=\"openai_tts\"") >= 2, text);
        Assert.Contains("vtuber_turn_first_audio_seconds_bucket{", text);
        Assert.Contains("# TYPE vtuber_sessions_active gauge", text);
    }

    [Fact]
    public async Task The_dashboard_summary_shows_a_turn_within_seconds()
    {
        await TextTurnAsync("dashboard please");

        JsonNode summary = null!;
        await Eventually.TrueAsync(async () =>
        {
            summary = JsonNode.Parse(await _http.GetStringAsync("/api/metrics/summary"))!;
            return (int)summary["turnsByOutcome"]!["completed"]! > 0;
        }, within: TimeSpan.FromSeconds(5), because: "the turn in the dashboard's summary");
        Assert.True((int)summary["stages"]!["firstAudio"]!["count"]! > 0);
        Assert.True((double)summary["stages"]!["ttsSentence"]!["p50"]! > 0);
        var points = summary["points"]!.AsArray();
        Assert.Equal(90, points.Count); // 15 minutes of 10-second buckets
        Assert.True(points.Sum(p => (int)p!["completed"]!) > 0);
        Assert.Equal("Healthy", (string?)summary["readiness"]!["checks"]!["journal"]!["status"]);
        Assert.Equal("v1.2.1", (string?)summary["config"]!["confVersion"]);
        Assert.Matches("^[0-9a-f]{12}$", (string?)summary["config"]!["fingerprint"]);
        Assert.Null(summary["cluster"]);

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseUri };
        using var redirect = await noRedirects.GetAsync("/dashboard");
        Assert.Equal("/dashboard/", redirect.Headers.Location?.OriginalString);
        var page = await _http.GetStringAsync("/dashboard/");
        Assert.Contains("<script src=\"dashboard.js\">", page);
        Assert.Contains("/api/metrics/summary", await _http.GetStringAsync("/dashboard/dashboard.js"));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/dashboard/secrets.txt")).StatusCode);
    }

    [Fact]
    public async Task Health_live_and_ready_answer_200_with_the_journal()
    {
        using var live = await _http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await _http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.Equal("Healthy", (string?)body["checks"]!["journal"]!["status"]);
        Assert.Contains("sqlite", (string?)body["checks"]!["journal"]!["description"]);
    }

    /// <summary>The value of the first sample line of a metric whose labels contain every given label.</summary>
    public static double Value(string exposition, string metric, params string[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(metric + "{", StringComparison.Ordinal) && !line.StartsWith(metric + " ", StringComparison.Ordinal)) continue;
            if (!labels.All(line.Contains)) continue;
            return double.Parse(ValueField(line), System.Globalization.CultureInfo.InvariantCulture);
        }
        return 0;
    }

    // "name{labels} value [timestamp]": the value is the first field after the labels.
    private static string ValueField(string line)
    {
        var afterLabels = line.Contains('}') ? line[(line.LastIndexOf('}') + 1)..] : line[line.IndexOf(' ')..];
        return afterLabels.Trim().Split(' ')[0];
    }
}

/// <summary>A PostgreSQL journal on a port nobody listens on: the server runs, but is not ready.</summary>
public sealed class UnreachableJournalTests
{
    [Fact]
    public async Task Health_ready_is_503_naming_the_journal_while_live_stays_200()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, extraSystemYaml: $"""
              journal:
                provider: 'postgresql'
                connection_string: 'Host=127.0.0.1;Port={closedPort};Database=vtuber;Username=vtuber;Password=x;Timeout=2'
            """);
        await using var server = await RunningServer.StartAsync(folder, llm, tts);
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        using var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var journal = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!["journal"]!;
        Assert.Equal("Unhealthy", (string?)journal["status"]);
        Assert.Contains($"postgresql 127.0.0.1:{closedPort}/vtuber", (string?)journal["description"]);
    }
}
