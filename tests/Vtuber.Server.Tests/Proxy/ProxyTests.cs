using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Vtuber.Actors.Sessions;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.Proxy;

/// <summary>/proxy-ws (olv-protocol 9.3) on the real server: two clients share one session and one conversation.</summary>
public sealed class ProxyTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        var llm = await FakeOpenAiServer.StartAsync();
        var tts = await FakeSpeechServer.StartAsync();
        _server = await RunningServer.StartAsync(ServerFolder.Create(llm.BaseUrl, tts.BaseUrl,
            extraSystemYaml: "  enable_proxy: true\n  proxy:\n    max_queued_inputs: 2"), llm, tts);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _server.Llm.DisposeAsync();
        await _server.Tts.DisposeAsync();
    }

    /// <summary>A proxy client past what its joining brings (set-model-and-conf) and everything queued before it.</summary>
    private async Task<OlvClient> JoinAsync()
    {
        var client = await OlvClient.ConnectAsync(_server.BaseUri, "/proxy-ws");
        await client.ReceiveUntilAsync("set-model-and-conf");
        return client;
    }

    private static Task Say(OlvClient client, string text) =>
        client.SendAsync(new { type = "text-input", text, images = Array.Empty<object>() });

    private static IEnumerable<string> Described(IEnumerable<JsonObject> frames) => frames.Select(OlvClient.Describe);

    [Fact]
    public async Task A_text_input_is_echoed_to_the_other_client_and_the_reply_reaches_both()
    {
        await using var a = await JoinAsync();
        await using var b = await JoinAsync();
        await a.DrainAsync(); // b's joining sent set-model-and-conf to a as well
        _server.Llm.ReplyTo("hello proxy", new FakeReply(["Hi both."]));

        await Say(a, "hello proxy");

        var atB = await b.ReceiveUntilAsync("backend-synth-complete");
        var atA = await a.ReceiveUntilAsync("backend-synth-complete");
        Assert.Equal(["user-input-transcription(hello proxy)", "control(conversation-chain-start)", "full-text(Thinking...)",
            "audio(Hi both.)", "backend-synth-complete"], Described(atB));
        Assert.Equal(["control(conversation-chain-start)", "full-text(Thinking...)", "audio(Hi both.)", "backend-synth-complete"],
            Described(atA));
        Assert.Equal((string?)atA[2]["audio"], (string?)atB[3]["audio"]);

        await b.SendAsync(new { type = "frontend-playback-complete" });
        Assert.Equal(["force-new-message", "control(conversation-chain-end)"],
            Described(await a.ReceiveUntilAsync("control", "conversation-chain-end")));
        Assert.Equal(["force-new-message", "control(conversation-chain-end)"],
            Described(await b.ReceiveUntilAsync("control", "conversation-chain-end")));
        // One shared session: the proxy's, nothing per client.
        Assert.Equal(1, await _server.SessionCountAsync());
    }

    [Fact]
    public async Task A_text_input_waits_until_the_running_conversation_ends()
    {
        await using var a = await JoinAsync();
        await using var b = await JoinAsync();
        await a.DrainAsync();
        _server.Llm.ReplyTo("first", new FakeReply(["One."]));
        _server.Llm.ReplyTo("second", new FakeReply(["Two."]));

        await Say(a, "first");
        await a.ReceiveUntilAsync("backend-synth-complete");
        await Say(b, "second");
        await b.DrainAsync(); // the proxy has b's input (same socket, in order) ...
        Assert.DoesNotContain(await a.DrainAsync(), f => OlvClient.Type(f) == "user-input-transcription"); // ... and holds it

        await a.SendAsync(new { type = "frontend-playback-complete" });

        var next = await a.ReceiveUntilAsync("backend-synth-complete");
        Assert.Equal(["force-new-message", "control(conversation-chain-end)", "user-input-transcription(second)",
            "control(conversation-chain-start)", "full-text(Thinking...)", "audio(Two.)", "backend-synth-complete"], Described(next));
        var lastRequest = _server.Llm.Requests[^1].Messages;
        Assert.Equal("second", (string?)lastRequest[^1]!["content"]);
        // The shared memory holds the first exchange before the second input.
        Assert.Contains(lastRequest, m => (string?)m!["content"] == "first");
    }

    [Fact]
    public async Task A_flood_beyond_the_queue_is_refused_to_its_sender_only()
    {
        await using var a = await JoinAsync();
        await using var b = await JoinAsync();
        await a.DrainAsync();
        _server.Llm.ReplyTo("busy", new FakeReply(["Busy."]));
        await Say(a, "busy");
        await a.ReceiveUntilAsync("backend-synth-complete");

        for (var i = 0; i < 3; i++) await Say(b, $"flood {i}"); // the queue holds 2 (system_config.proxy.max_queued_inputs)

        var atB = await b.DrainAsync();
        var error = Assert.Single(atB, f => OlvClient.Type(f) == "error");
        Assert.Contains("system_config.proxy.max_queued_inputs", (string?)error["message"]);
        Assert.DoesNotContain(await a.DrainAsync(), f => OlvClient.Type(f) == "error");

        // The two that were queued still go, in order.
        await a.SendAsync(new { type = "frontend-playback-complete" });
        var frames = await a.ReceiveUntilAsync("user-input-transcription");
        Assert.Equal("flood 0", (string?)frames[^1]["text"]);
        await a.SendAsync(new { type = "interrupt-signal", text = "" });
        frames = await a.ReceiveUntilAsync("user-input-transcription");
        Assert.Equal("flood 1", (string?)frames[^1]["text"]);
    }

    [Fact]
    public async Task The_session_outlives_its_clients_and_comes_back_when_it_stops()
    {
        var first = await JoinAsync();
        await first.DisposeAsync();
        await Eventually.TrueAsync(async () => await _server.SessionCountAsync() == 1, because: "the proxy session stays without clients");

        await using var later = await JoinAsync();
        _server.Llm.ReplyTo("still there?", new FakeReply(["Yes."]));
        await Say(later, "still there?");
        Assert.Contains("audio(Yes.)", Described(await later.ReceiveUntilAsync("backend-synth-complete")));
        await later.SendAsync(new { type = "frontend-playback-complete" });
        await later.ReceiveUntilAsync("control", "conversation-chain-end");

        // The shared session stops (as after crashes past its supervisor's restarts): a new one greets the client.
        var system = _server.App.Services.GetRequiredService<ActorSystem>();
        system.ActorSelection("/user/sessions/session-proxy-*").Tell(PoisonPill.Instance);
        await later.ReceiveUntilAsync("full-text", "Connection established");
        await later.ReceiveUntilAsync("control", "start-mic");

        _server.Llm.ReplyTo("and now?", new FakeReply(["Back."]));
        await Say(later, "and now?");
        Assert.Contains("audio(Back.)", Described(await later.ReceiveUntilAsync("backend-synth-complete")));
    }
}
