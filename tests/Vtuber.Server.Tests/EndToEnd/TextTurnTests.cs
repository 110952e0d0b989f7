using System.Text.Json.Nodes;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

public sealed class TextTurnTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly RunningServer _server = fixture.Server;

    private async Task<(OlvClient Client, string HistoryUid)> ConnectWithHistoryAsync()
    {
        var client = await _server.ConnectPastGreetingAsync();
        await client.SendAsync(new { type = "create-new-history" });
        var created = await client.ReceiveAsync();
        return (client, (string)created["history_uid"]!);
    }

    [Fact]
    public async Task Text_turn_sends_olv_frames_in_order_and_stores_history()
    {
        var (client, historyUid) = await ConnectWithHistoryAsync();
        await using var _ = client;
        _server.Llm.ReplyTo("hello", new FakeReply(["[jo", "y] Hi", "! Nice", " to meet", " you."]));

        await client.SendAsync(new { type = "text-input", text = "hello", images = Array.Empty<object>() });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");

        Assert.Equal(
            ["control(conversation-chain-start)", "full-text(Thinking...)", "audio([joy] Hi!)", "audio(Nice to meet you.)", "backend-synth-complete"],
            frames.Select(OlvClient.Describe));
        AssertVoicedAudio(frames[2], "[joy] Hi!", """{"expressions":[3]}""");
        AssertVoicedAudio(frames[3], "Nice to meet you.", "{}");
        Assert.Equal(["Hi!", "Nice to meet you."], _server.Tts.Requests.TakeLast(2).Select(r => r.Input).Order());

        // The real frontend answers several times; only one turn end may follow.
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(new { type = "frontend-playback-complete" });
        }
        var end = await client.ReceiveUntilAsync("control", "conversation-chain-end");
        Assert.Equal(["force-new-message", "control(conversation-chain-end)"], end.Select(OlvClient.Describe));
        Assert.Empty(await client.DrainAsync());

        await client.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
        var data = await client.ReceiveAsync();
        var messages = data["messages"]!.AsArray();
        Assert.Equal(2, messages.Count);
        Assert.Equal("human", (string?)messages[0]!["role"]);
        Assert.Equal("hello", (string?)messages[0]!["content"]);
        Assert.Equal("Human", (string?)messages[0]!["name"]);
        Assert.Equal("ai", (string?)messages[1]!["role"]);
        Assert.Equal("[joy] Hi! Nice to meet you.", (string?)messages[1]!["content"]);
        Assert.Equal("Mao", (string?)messages[1]!["name"]);
        Assert.Equal("mao.png", (string?)messages[1]!["avatar"]);
    }

    [Fact]
    public async Task The_llm_request_carries_system_prompt_memory_and_the_user_message()
    {
        var (client, _) = await ConnectWithHistoryAsync();
        await using var __ = client;
        _server.Llm.ReplyTo("one", new FakeReply(["First answer."]));
        _server.Llm.ReplyTo("two", new FakeReply(["Second answer."]));
        var before = _server.Llm.Requests.Count;

        await RunTurnAsync(client, "one");
        await RunTurnAsync(client, "two");

        var request = (await _server.Llm.WaitForRequestAsync(before + 1, TimeSpan.FromSeconds(10))).Body;
        var messages = request["messages"]!.AsArray();
        Assert.Equal("system", (string?)messages[0]!["role"]);
        Assert.Contains("You are Mao", (string?)messages[0]!["content"]);
        Assert.Contains("[joy]", (string?)messages[0]!["content"]); // expression prompt with the model's emotion keys
        Assert.Equal(["user:one", "assistant:First answer.", "user:two"],
            messages.Skip(1).Select(m => $"{m!["role"]}:{TextOf(m)}"));
        Assert.Equal("fake-model", (string?)request["model"]);
        Assert.True((bool?)request["stream"]);
    }

    [Fact]
    public async Task Think_text_is_shown_in_parentheses_and_never_spoken()
    {
        var (client, _) = await ConnectWithHistoryAsync();
        await using var __ = client;
        _server.Llm.ReplyTo("think", new FakeReply(["<think>Plan it", "</think>", "Done."]));

        await client.SendAsync(new { type = "text-input", text = "think" });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");

        var audio = frames.Where(f => OlvClient.Type(f) == "audio").ToList();
        Assert.Equal(["(", "Plan it", ")", "Done."], audio.Select(f => (string?)f["display_text"]!["text"]));
        Assert.All(audio.Take(3), f => Assert.Null((string?)f["audio"]));
        Assert.NotNull((string?)audio[3]["audio"]);
        Assert.DoesNotContain(_server.Tts.Requests, r => r.Input.Contains("Plan", StringComparison.Ordinal));
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");
    }

    [Fact]
    public async Task A_reply_without_any_voiced_sentence_ends_without_waiting_for_playback()
    {
        var (client, _) = await ConnectWithHistoryAsync();
        await using var __ = client;
        _server.Llm.ReplyTo("just smile", new FakeReply(["[joy]"]));

        await client.SendAsync(new { type = "text-input", text = "just smile" });
        var frames = await client.ReceiveUntilAsync("control", "conversation-chain-end");

        Assert.Equal(["control(conversation-chain-start)", "full-text(Thinking...)", "audio([joy])", "force-new-message", "control(conversation-chain-end)"],
            frames.Select(OlvClient.Describe));
    }

    [Fact]
    public async Task Without_playback_complete_the_turn_ends_after_the_configured_timeout()
    {
        await using var server = await RunningServer.StartAsync(
            ServerFolder.Create(_server.Llm.BaseUrl, _server.Tts.BaseUrl, playbackTimeoutSeconds: 0.5), _server.Llm, _server.Tts);
        await using var client = await server.ConnectPastGreetingAsync();
        _server.Llm.ReplyTo("hi", new FakeReply(["Hello there."]));

        await client.SendAsync(new { type = "text-input", text = "hi" });
        await client.ReceiveUntilAsync("backend-synth-complete");

        var end = await client.ReceiveUntilAsync("control", "conversation-chain-end", TimeSpan.FromSeconds(10));
        Assert.Equal(["force-new-message", "control(conversation-chain-end)"], end.Select(OlvClient.Describe));
    }

    [Fact]
    public async Task Tts_failure_gives_an_error_and_a_silent_sentence_and_the_turn_goes_on()
    {
        var (client, _) = await ConnectWithHistoryAsync();
        await using var __ = client;
        _server.Tts.FailForInput = input => input.StartsWith("Broken", StringComparison.Ordinal) ? System.Net.HttpStatusCode.ServiceUnavailable : null;
        _server.Llm.ReplyTo("speak", new FakeReply(["Broken voice. ", "Fine voice."]));

        await client.SendAsync(new { type = "text-input", text = "speak" });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");
        _server.Tts.FailForInput = null;

        var error = Assert.Single(frames, f => OlvClient.Type(f) == "error");
        Assert.Contains("openai_tts", (string?)error["message"]);
        var audio = frames.Where(f => OlvClient.Type(f) == "audio").ToList();
        Assert.Equal(2, audio.Count);
        Assert.Equal(1, audio.Count(f => f["audio"] is null));
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");
    }

    [Fact]
    public async Task The_default_espeak_ng_engine_speaks_each_sentence_as_pcm16_wav()
    {
        await using var server = await RunningServer.StartAsync(
            ServerFolder.Create(_server.Llm.BaseUrl, _server.Tts.BaseUrl, ttsModel: "espeak_ng"), _server.Llm, _server.Tts);
        await using var client = await server.ConnectPastGreetingAsync();
        _server.Llm.ReplyTo("espeak please", new FakeReply(["Hello from espeak. ", "A second sentence."]));

        await client.SendAsync(new { type = "text-input", text = "espeak please" });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");

        var audio = frames.Where(f => OlvClient.Type(f) == "audio").ToList();
        Assert.Equal(2, audio.Count);
        foreach (var frame in audio)
        {
            AssertVoicedAudio(frame, (string)frame["display_text"]!["text"]!, "{}");
            var wav = Convert.FromBase64String((string)frame["audio"]!);
            Assert.Equal(22050, BitConverter.ToInt32(wav, 24)); // espeak-ng's own rate, not resampled
            Assert.True(wav.Length > 22050, "at least half a second of speech");
        }
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");
    }

    internal static async Task RunTurnAsync(OlvClient client, string text)
    {
        await client.SendAsync(new { type = "text-input", text });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");
        Assert.Contains(frames, f => OlvClient.Type(f) == "audio");
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");
    }

    internal static string? TextOf(JsonNode? message) => message?["content"] switch
    {
        JsonValue value => (string?)value,
        JsonArray parts => string.Concat(parts.Where(p => (string?)p!["type"] == "text").Select(p => (string?)p!["text"])),
        _ => null,
    };

    private static void AssertVoicedAudio(JsonObject frame, string text, string actions)
    {
        Assert.Equal(text, (string?)frame["display_text"]!["text"]);
        Assert.Equal("Mao", (string?)frame["display_text"]!["name"]);
        Assert.Equal("mao.png", (string?)frame["display_text"]!["avatar"]);
        Assert.Equal(actions, frame["actions"]!.ToJsonString());
        Assert.Equal(20, (int?)frame["slice_length"]);
        Assert.False((bool?)frame["forwarded"]);
        var wav = Convert.FromBase64String((string)frame["audio"]!);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal("WAVE", System.Text.Encoding.ASCII.GetString(wav, 8, 4));
        Assert.Equal(1, BitConverter.ToInt16(wav, 20));  // PCM
        Assert.Equal(16, BitConverter.ToInt16(wav, 34)); // bits per sample
        var volumes = frame["volumes"]!.AsArray().Select(v => (double)v!).ToList();
        Assert.NotEmpty(volumes);
        Assert.Equal(1.0, volumes.Max());
        Assert.All(volumes, v => Assert.InRange(v, 0.0, 1.0));
        var sampleRate = BitConverter.ToInt32(wav, 24);
        var dataBytes = wav.Length - 44;
        Assert.Equal((int)Math.Ceiling(dataBytes / 2.0 / (sampleRate * 0.02)), volumes.Count);
    }
}
