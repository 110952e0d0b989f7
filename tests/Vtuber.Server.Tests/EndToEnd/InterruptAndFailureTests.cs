using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

public sealed class InterruptAndFailureTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string[] TurnFrames =
        ["audio", "backend-synth-complete", "force-new-message", "control", "full-text"];

    private readonly RunningServer _server = fixture.Server;

    private async Task<(OlvClient Client, string HistoryUid)> ConnectWithHistoryAsync()
    {
        var client = await _server.ConnectPastGreetingAsync();
        await client.SendAsync(new { type = "create-new-history" });
        return (client, (string)(await client.ReceiveAsync())["history_uid"]!);
    }

    [Fact]
    public async Task Interrupt_stops_the_turn_at_once_and_rewrites_memory_and_history()
    {
        var (client, historyUid) = await ConnectWithHistoryAsync();
        await using var _ = client;
        // A slow LLM: the first sentence arrives, the rest would take seconds.
        _server.Llm.ReplyTo("explain", new FakeReply(["Let me think. ", "First point. ", "Second point. ", "Third point."])
        {
            ChunkDelay = TimeSpan.FromMilliseconds(400),
        });

        await client.SendAsync(new { type = "text-input", text = "explain" });
        var first = await client.ReceiveUntilAsync("audio");
        Assert.Equal("Let me think.", (string?)first[^1]["display_text"]!["text"]);

        await client.SendAsync(new { type = "interrupt-signal", text = "Let me think." });

        // Nothing of the cancelled turn may follow: not the remaining sentences, not the turn end.
        await Eventually.TrueAsync(() => _server.Llm.ActiveStreams == 0, because: "the LLM request is cancelled");
        var after = await client.DrainAsync();
        Assert.DoesNotContain(after, f => TurnFrames.Contains(OlvClient.Type(f)));

        // Memory: heard + "..." and the marker as a user message (interrupt_method: user).
        _server.Llm.ReplyTo("go on", new FakeReply(["Okay."]));
        var next = _server.Llm.Requests.Count;
        await TextTurnTests.RunTurnAsync(client, "go on");
        var messages = (await _server.Llm.WaitForRequestAsync(next, TimeSpan.FromSeconds(10))).Body["messages"]!.AsArray();
        Assert.Equal(["user:explain", "assistant:Let me think....", "user:[Interrupted by user]", "user:go on"],
            messages.Skip(1).Select(m => $"{m!["role"]}:{TextOf(m)}"));

        // History: ai(heard) + system marker; the system record is not part of history-data but is listed as latest.
        await client.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
        var data = (await client.ReceiveAsync())["messages"]!.AsArray();
        Assert.Equal(["human:explain", "ai:Let me think.", "human:go on", "ai:Okay."],
            data.Select(m => $"{m!["role"]}:{m["content"]}"));
    }

    [Fact]
    public async Task Interrupt_while_waiting_for_playback_records_what_was_heard()
    {
        var (client, historyUid) = await ConnectWithHistoryAsync();
        await using var _ = client;
        _server.Llm.ReplyTo("count", new FakeReply(["One. ", "Two."]));

        await client.SendAsync(new { type = "text-input", text = "count" });
        await client.ReceiveUntilAsync("backend-synth-complete");
        await client.SendAsync(new { type = "interrupt-signal", text = "One." });
        Assert.DoesNotContain(await client.DrainAsync(), f => TurnFrames.Contains(OlvClient.Type(f)));

        await client.SendAsync(new { type = "fetch-history-list" });
        var list = await client.ReceiveAsync();
        var entry = list["histories"]!.AsArray().Single(h => (string?)h!["uid"] == historyUid)!;
        Assert.Equal("system", (string?)entry["latest_message"]!["role"]);
        Assert.Equal("[Interrupted by user]", (string?)entry["latest_message"]!["content"]);
        await client.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
        var data = (await client.ReceiveAsync())["messages"]!.AsArray();
        Assert.Equal(["human:count", "ai:One."], data.Select(m => $"{m!["role"]}:{m["content"]}"));
    }

    [Fact]
    public async Task A_new_text_input_during_a_turn_cancels_it_as_an_interrupt_with_nothing_heard()
    {
        var (client, historyUid) = await ConnectWithHistoryAsync();
        await using var _ = client;
        _server.Llm.ReplyTo("first", new FakeReply(["Slow. ", "Very slow."]) { ChunkDelay = TimeSpan.FromSeconds(2) });
        _server.Llm.ReplyTo("second", new FakeReply(["Quick."]));

        await client.SendAsync(new { type = "text-input", text = "first" });
        await client.ReceiveUntilAsync("full-text", "Thinking...");
        await client.SendAsync(new { type = "text-input", text = "second" });

        var frames = await client.ReceiveUntilAsync("backend-synth-complete");
        var audio = frames.Where(f => OlvClient.Type(f) == "audio").Select(f => (string?)f["display_text"]!["text"]);
        Assert.Equal(["Quick."], audio);
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");

        await client.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
        var data = (await client.ReceiveAsync())["messages"]!.AsArray();
        Assert.Equal(["human:first", "ai:", "human:second", "ai:Quick."], data.Select(m => $"{m!["role"]}:{m["content"]}"));
    }

    [Theory]
    [InlineData(500, "500")]
    [InlineData(429, "429")]
    public async Task Llm_http_error_gives_an_error_frame_and_a_clean_turn_end(int status, string expected)
    {
        var (client, historyUid) = await ConnectWithHistoryAsync();
        await using var _ = client;
        _server.Llm.ReplyTo($"fail please {status}", new FakeReply([]) { FailWithStatus = status });

        await client.SendAsync(new { type = "text-input", text = $"fail please {status}" });
        var frames = await client.ReceiveUntilAsync("control", "conversation-chain-end");

        var error = Assert.Single(frames, f => OlvClient.Type(f) == "error");
        Assert.Contains("openai_compatible_llm", (string?)error["message"]);
        Assert.Contains(expected, (string?)error["message"]);
        Assert.Equal("force-new-message", OlvClient.Type(frames[^2]));
        await AssertHistoryAsync(client, historyUid, [$"human:fail please {status}"]);
    }

    [Fact]
    public async Task Llm_stream_cut_midway_is_an_error_and_no_half_reply_is_stored()
    {
        var (client, historyUid) = await ConnectWithHistoryAsync();
        await using var _ = client;
        _server.Llm.ReplyTo("cut", new FakeReply(["Half a rep", "ly. And more", " to come."]) { CutAfterChunks = 2 });

        await client.SendAsync(new { type = "text-input", text = "cut" });
        var frames = await client.ReceiveUntilAsync("error");
        Assert.Contains("openai_compatible_llm", (string?)frames[^1]["message"]);
        if (frames.Any(f => OlvClient.Type(f) == "audio" && f["audio"] is not null))
        {
            await client.ReceiveUntilAsync("backend-synth-complete");
            await client.SendAsync(new { type = "frontend-playback-complete" });
        }
        await client.ReceiveUntilAsync("control", "conversation-chain-end");
        await AssertHistoryAsync(client, historyUid, ["human:cut"]);
    }

    [Fact]
    public async Task Llm_connection_refused_names_the_provider()
    {
        var folder = ServerFolder.Create(new Uri("http://127.0.0.1:9/v1"), _server.Tts.BaseUrl);
        await using var unusedLlm = await FakeOpenAiServer.StartAsync();
        await using var server = await RunningServer.StartAsync(folder, unusedLlm, _server.Tts);
        await using var client = await server.ConnectPastGreetingAsync();

        await client.SendAsync(new { type = "text-input", text = "anyone?" });
        var frames = await client.ReceiveUntilAsync("control", "conversation-chain-end");

        var error = Assert.Single(frames, f => OlvClient.Type(f) == "error");
        Assert.Contains("openai_compatible_llm", (string?)error["message"]);
    }

    [Fact]
    public async Task Closing_the_socket_mid_turn_cancels_the_llm_and_stops_the_session()
    {
        var client = await _server.ConnectPastGreetingAsync();
        _server.Llm.ReplyTo("tell me", new FakeReply(["Never ", "ending ", "story."]) { ChunkDelay = TimeSpan.FromSeconds(5) });
        await client.SendAsync(new { type = "text-input", text = "tell me" });
        await client.ReceiveUntilAsync("full-text", "Thinking...");
        await Eventually.TrueAsync(() => _server.Llm.ActiveStreams > 0);

        await client.DisposeAsync();

        await Eventually.TrueAsync(() => _server.Llm.ActiveStreams == 0, because: "the LLM stream is cancelled");
        await Eventually.TrueAsync(async () => await _server.SessionCountAsync() == 0);
    }

    private static async Task AssertHistoryAsync(OlvClient client, string historyUid, string[] expected)
    {
        await client.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
        var data = (await client.ReceiveUntilAsync("history-data"))[^1]["messages"]!.AsArray();
        Assert.Equal(expected, data.Select(m => $"{m!["role"]}:{m["content"]}"));
    }

    private static string? TextOf(System.Text.Json.Nodes.JsonNode? message) => TextTurnTests.TextOf(message);
}
