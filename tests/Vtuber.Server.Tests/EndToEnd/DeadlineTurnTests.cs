using System.Runtime.Versioning;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>
/// Upstreams that accept and never answer (real servers and programs): every wait of a turn ends at its deadline
/// with an error frame naming the engine and the bound, and the turn still ends with conversation-chain-end.
/// </summary>
public sealed class DeadlineTurnTests : IAsyncLifetime
{
    private FakeOpenAiServer _llm = null!;
    private FakeSpeechServer _tts = null!;

    public async Task InitializeAsync()
    {
        _llm = await FakeOpenAiServer.StartAsync();
        _tts = await FakeSpeechServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _llm.DisposeAsync();
        await _tts.DisposeAsync();
    }

    private ServerFolder Folder(string deadlines, string ttsModel = "openai_tts", string? extraCharacterYaml = null,
        string? engineYaml = null)
    {
        var folder = ServerFolder.Create(_llm.BaseUrl, _tts.BaseUrl, ttsModel: ttsModel, extraCharacterYaml: extraCharacterYaml);
        folder.EditConfig(("    tts_parallelism: 3\n", $"    tts_parallelism: 3\n{deadlines}\n"));
        if (engineYaml is not null)
        {
            folder.EditConfig(($"    tts_model: '{ttsModel}'\n", $"    tts_model: '{ttsModel}'\n{engineYaml}\n"));
        }
        return folder;
    }

    [Fact]
    public async Task A_sentence_whose_tts_never_answers_is_silent_with_an_error_and_the_reply_goes_on()
    {
        await using var server = await RunningServer.StartAsync(Folder("    tts_timeout_seconds: 0.5"), _llm, _tts);
        await using var client = await server.ConnectPastGreetingAsync();
        _tts.HangForInput = text => text.StartsWith("Stuck", StringComparison.Ordinal);
        _llm.ReplyTo("speak", new FakeReply(["Stuck sentence here. ", "Fine sentence here."]));

        await client.SendAsync(new { type = "text-input", text = "speak" });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");

        var error = Assert.Single(frames, f => OlvClient.Type(f) == "error");
        Assert.Equal("TTS openai_tts gave no audio within 0.5 s for sentence 'Stuck sentence here.'",
            (string?)error["message"]);
        var audio = frames.Where(f => OlvClient.Type(f) == "audio").ToList();
        Assert.Equal(["Stuck sentence here.", "Fine sentence here."], audio.Select(f => (string?)f["display_text"]!["text"]));
        Assert.Null(audio[0]["audio"]);
        Assert.Empty(audio[0]["volumes"]!.AsArray());
        Assert.NotNull(audio[1]["audio"]);
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");
        await Eventually.TrueAsync(() => _tts.AbortedRequests == 1, because: "the hanging request is given up");
    }

    [Fact]
    public async Task A_reply_whose_only_sentence_times_out_ends_with_the_error_the_silent_frame_and_chain_end()
    {
        await using var server = await RunningServer.StartAsync(Folder("    tts_timeout_seconds: 0.5"), _llm, _tts);
        await using var client = await server.ConnectPastGreetingAsync();
        _tts.HangForInput = _ => true;
        _llm.ReplyTo("one", new FakeReply(["Only this."]));

        await client.SendAsync(new { type = "text-input", text = "one" });
        var frames = await client.ReceiveUntilAsync("control", "conversation-chain-end");

        Assert.Equal(["control(conversation-chain-start)", "full-text(Thinking...)", "error", "audio(Only this.)",
            "force-new-message", "control(conversation-chain-end)"], frames.Select(OlvClient.Describe));
        Assert.Contains("openai_tts gave no audio within 0.5 s", (string?)frames[2]["message"]);
        Assert.Null(frames[3]["audio"]);
    }

    [Fact]
    public async Task A_recognition_that_never_answers_ends_the_turn_with_an_error_and_chain_end()
    {
        await using var asr = await FakeTranscriptionServer.StartAsync();
        asr.Hangs = true;
        var folder = Folder("    asr_timeout_seconds: 0.5",
            extraCharacterYaml: $"  asr_config:\n    asr_model: 'openai_whisper'\n    openai_whisper:\n" +
                                $"      base_url: '{asr.BaseUrl}'\n      api_key: 'sk-asr'\n      model: 'whisper-1'");
        await using var server = await RunningServer.StartAsync(folder, _llm, _tts);
        await using var client = await server.ConnectPastGreetingAsync();

        await client.SendAsync(new { type = "mic-audio-data", audio = SpokenUtterances.WhatTimeIsIt.Samples16k()[..4096] });
        await client.SendAsync(new { type = "mic-audio-end" });
        var frames = await client.ReceiveUntilAsync("control", "conversation-chain-end");

        Assert.Equal(["control(conversation-chain-start)", "full-text(Thinking...)", "error", "force-new-message",
            "control(conversation-chain-end)"], frames.Select(OlvClient.Describe));
        Assert.Equal("Speech recognition failed: ASR openai_whisper gave no transcript within 0.5 s",
            (string?)frames[2]["message"]);
        await Eventually.TrueAsync(() => asr.AbortedRequests == 1, because: "the hanging upload is given up");
        Assert.Empty(_llm.Requests);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task An_espeak_ng_that_hangs_is_killed_at_the_deadline_and_the_turn_ends()
    {
        using var program = HangingProgram.Create();
        var folder = Folder("    tts_timeout_seconds: 0.5", ttsModel: "espeak_ng",
            engineYaml: $"    espeak_ng:\n      executable: '{program.Path}'");
        await using var server = await RunningServer.StartAsync(folder, _llm, _tts);
        await using var client = await server.ConnectPastGreetingAsync();
        _llm.ReplyTo("hello", new FakeReply(["Hello there."]));

        await client.SendAsync(new { type = "text-input", text = "hello" });
        var frames = await client.ReceiveUntilAsync("control", "conversation-chain-end");

        var error = Assert.Single(frames, f => OlvClient.Type(f) == "error");
        Assert.Equal("TTS espeak_ng gave no audio within 0.5 s for sentence 'Hello there.'", (string?)error["message"]);
        Assert.Null(Assert.Single(frames, f => OlvClient.Type(f) == "audio")["audio"]);
        Assert.Single(program.Runs);
        await Eventually.TrueAsync(() => program.AllGone, because: "espeak-ng and its child are killed");
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task An_interrupt_kills_a_hanging_espeak_ng_at_once_long_before_its_deadline()
    {
        using var program = HangingProgram.Create();
        var folder = Folder("    tts_timeout_seconds: 3600", ttsModel: "espeak_ng",
            engineYaml: $"    espeak_ng:\n      executable: '{program.Path}'");
        await using var server = await RunningServer.StartAsync(folder, _llm, _tts);
        await using var client = await server.ConnectPastGreetingAsync();
        _llm.ReplyTo("hello", new FakeReply(["Hello there."]));

        await client.SendAsync(new { type = "text-input", text = "hello" });
        await Eventually.TrueAsync(() => program.Runs.Count == 1, because: "espeak-ng is started for the sentence");
        await client.SendAsync(new { type = "interrupt-signal", text = "" });

        await Eventually.TrueAsync(() => program.AllGone, because: "the interrupt kills espeak-ng and its child");
        var after = await client.DrainAsync();
        Assert.DoesNotContain(after, f => OlvClient.Type(f) is "audio" or "error" or "backend-synth-complete");
    }
}
