using System.Text.Json.Nodes;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>
/// The frontend's voice path over a real socket (olv-protocol.md 2.19 c): mic-audio-data × N in 4096-sample frames,
/// mic-audio-end, then real pocketsphinx (with a JSGF grammar, so transcripts are exact) and the normal turn.
/// </summary>
public sealed class VoiceTurnTests : IAsyncLifetime
{
    private const int FrontendFrame = 4096;
    private FakeOpenAiServer _llm = null!;
    private FakeSpeechServer _tts = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _llm = await FakeOpenAiServer.StartAsync();
        _tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(_llm.BaseUrl, _tts.BaseUrl,
            extraSystemYaml: "  voice:\n    max_utterance_seconds: 2.5",
            extraCharacterYaml: $"  asr_config:\n    asr_model: 'pocketsphinx'\n    pocketsphinx:\n" +
                                $"      jsgf_grammar: '{SpokenUtterances.WriteGrammar()}'\n      decoders: 1");
        _server = await RunningServer.StartAsync(folder, _llm, _tts);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _llm.DisposeAsync();
        await _tts.DisposeAsync();
    }

    private static async Task SendUtteranceAsync(OlvClient client, float[] samples)
    {
        foreach (var frame in samples.Chunk(FrontendFrame))
        {
            await client.SendAsync(new { type = "mic-audio-data", audio = frame });
        }
    }

    [Fact]
    public async Task Spoken_utterance_is_transcribed_answered_and_stored_with_images_passed_to_the_llm()
    {
        await using var client = await _server.ConnectPastGreetingAsync();
        await client.SendAsync(new { type = "create-new-history" });
        var historyUid = (string)(await client.ReceiveAsync())["history_uid"]!;
        // The agent adds this note to the text part when images come with the input (olv-protocol.md 2.15).
        _llm.ReplyTo(SpokenUtterances.WhatTimeIsIt.Text + "\n[User has also provided images]", new FakeReply(["It is", " noon."]));
        var image = new { source = "camera", data = "data:image/jpeg;base64,AAAA", mime_type = "image/jpeg" };

        await SendUtteranceAsync(client, SpokenUtterances.WhatTimeIsIt.Samples16k());
        await client.SendAsync(new { type = "mic-audio-end", images = new[] { image } });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");

        Assert.Equal(
            ["control(conversation-chain-start)", "full-text(Thinking...)", "user-input-transcription(what time is it)",
             "audio(It is noon.)", "backend-synth-complete"],
            frames.Select(OlvClient.Describe));
        Assert.False(string.IsNullOrEmpty((string?)frames[3]["audio"]));
        await client.SendAsync(new { type = "frontend-playback-complete" });
        Assert.Equal(["force-new-message", "control(conversation-chain-end)"],
            (await client.ReceiveUntilAsync("control", "conversation-chain-end")).Select(OlvClient.Describe));

        var request = Assert.Single(_llm.Requests);
        var user = request.Messages.Last()!;
        Assert.Equal("user", (string?)user["role"]);
        var parts = user["content"]!.AsArray();
        Assert.Contains(parts, p => (string?)p!["type"] == "text" && (string?)p["text"] == "what time is it\n[User has also provided images]");
        Assert.Contains(parts, p => (string?)p!["type"] == "image_url" && (string?)p["image_url"]!["url"] == image.data);

        await client.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
        var messages = (await client.ReceiveAsync())["messages"]!.AsArray();
        Assert.Equal(["human:what time is it", "ai:It is noon."], messages.Select(m => $"{m!["role"]}:{m["content"]}"));
    }

    [Fact]
    public async Task Mic_audio_end_without_audio_ends_the_turn_cleanly_without_an_llm_call()
    {
        await using var client = await _server.ConnectPastGreetingAsync();

        await client.SendAsync(new { type = "mic-audio-end", images = Array.Empty<object>() });
        var frames = await client.ReceiveUntilAsync("control", "conversation-chain-end");

        Assert.Equal(
            ["control(conversation-chain-start)", "full-text(Thinking...)", "error", "force-new-message",
             "control(conversation-chain-end)"],
            frames.Select(OlvClient.Describe));
        Assert.Equal("No speech to answer: mic-audio-end came without any mic-audio-data", (string?)frames[2]["message"]);
        Assert.Empty(await client.DrainAsync());
        Assert.Empty(_llm.Requests);
    }

    [Fact]
    public async Task Silence_gives_an_empty_transcription_and_no_llm_call()
    {
        await using var client = await _server.ConnectPastGreetingAsync();

        await SendUtteranceAsync(client, new float[16000]);
        await client.SendAsync(new { type = "mic-audio-end" });
        var frames = await client.ReceiveUntilAsync("control", "conversation-chain-end");

        Assert.Equal(
            ["control(conversation-chain-start)", "full-text(Thinking...)", "user-input-transcription()", "error",
             "force-new-message", "control(conversation-chain-end)"],
            frames.Select(OlvClient.Describe));
        Assert.Equal("No speech recognised (pocketsphinx): nothing to answer", (string?)frames[3]["message"]);
        Assert.Empty(_llm.Requests);
    }

    [Fact]
    public async Task An_utterance_over_the_cap_is_dropped_with_an_error_and_its_end_starts_no_reply()
    {
        await using var client = await _server.ConnectPastGreetingAsync();

        // 3.03 s of speech against a 2.5 s cap: the 10th frame crosses it.
        await SendUtteranceAsync(client, SpokenUtterances.ThankYou.Samples16k());
        var error = Assert.Single(await client.DrainAsync());
        Assert.Equal("error", OlvClient.Type(error));
        Assert.Equal("Voice input dropped: the utterance is longer than 2.5 s (system_config.voice.max_utterance_seconds)",
            (string?)error["message"]);

        await client.SendAsync(new { type = "mic-audio-end" });
        var frames = await client.ReceiveUntilAsync("control", "conversation-chain-end");
        Assert.Equal(
            ["control(conversation-chain-start)", "full-text(Thinking...)", "error", "force-new-message",
             "control(conversation-chain-end)"],
            frames.Select(OlvClient.Describe));
        Assert.StartsWith("No speech to answer: the utterance was dropped", (string?)frames[2]["message"]);
        Assert.Empty(_llm.Requests);

        // The next utterance is whole again.
        _llm.ReplyTo(SpokenUtterances.DragonStory.Text, new FakeReply(["Once upon a time."]));
        await SendUtteranceAsync(client, SpokenUtterances.DragonStory.Samples16k());
        await client.SendAsync(new { type = "mic-audio-end" });
        var next = await client.ReceiveUntilAsync("audio");
        Assert.Contains("user-input-transcription(tell me a story about a dragon)", next.Select(OlvClient.Describe));
    }

    [Fact]
    public async Task Invalid_samples_are_refused_and_leave_the_utterance_intact()
    {
        await using var client = await _server.ConnectPastGreetingAsync();
        _llm.ReplyTo(SpokenUtterances.WhatTimeIsIt.Text, new FakeReply(["Noon."]));
        var samples = SpokenUtterances.WhatTimeIsIt.Samples16k();

        await client.SendAsync(new { type = "mic-audio-data", audio = samples[..FrontendFrame] });
        await client.SendRawAsync("""{"type":"mic-audio-data","audio":[0.1,0.2,1.5]}""");
        var error = Assert.Single(await client.DrainAsync());
        Assert.Equal("Invalid 'mic-audio-data' message: audio[2] = 1.5 is outside [-1, 1]", (string?)error["message"]);
        await SendUtteranceAsync(client, samples[FrontendFrame..]);
        await client.SendAsync(new { type = "mic-audio-end" });

        var frames = await client.ReceiveUntilAsync("audio");
        Assert.Contains("user-input-transcription(what time is it)", frames.Select(OlvClient.Describe));
    }
}
