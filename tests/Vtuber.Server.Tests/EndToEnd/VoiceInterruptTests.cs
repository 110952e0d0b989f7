using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>Voice turns with a cloud engine (openai_whisper) against a fake transcription server that can be held.</summary>
public sealed class VoiceInterruptTests : IAsyncLifetime
{
    private FakeOpenAiServer _llm = null!;
    private FakeSpeechServer _tts = null!;
    private FakeTranscriptionServer _asr = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _llm = await FakeOpenAiServer.StartAsync();
        _tts = await FakeSpeechServer.StartAsync();
        _asr = await FakeTranscriptionServer.StartAsync();
        var folder = ServerFolder.Create(_llm.BaseUrl, _tts.BaseUrl,
            extraCharacterYaml: $"  asr_config:\n    asr_model: 'openai_whisper'\n    openai_whisper:\n" +
                                $"      base_url: '{_asr.BaseUrl}'\n      api_key: 'sk-asr'\n      model: 'whisper-1'");
        _server = await RunningServer.StartAsync(folder, _llm, _tts);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _llm.DisposeAsync();
        await _tts.DisposeAsync();
        await _asr.DisposeAsync();
    }

    [Fact]
    public async Task An_interrupt_during_recognition_cancels_it_and_nothing_of_the_turn_follows()
    {
        await using var client = await _server.ConnectPastGreetingAsync();
        _asr.ResponseDelay = TimeSpan.FromMinutes(5);

        await client.SendAsync(new { type = "mic-audio-data", audio = SpokenUtterances.WhatTimeIsIt.Samples16k()[..4096] });
        await client.SendAsync(new { type = "mic-audio-end" });
        Assert.Equal(["control(conversation-chain-start)", "full-text(Thinking...)"],
            (await client.ReceiveUntilAsync("full-text")).Select(OlvClient.Describe));
        await Eventually.TrueAsync(() => _asr.Requests.Count == 1, because: "the recognition request reaches the server");
        await client.SendAsync(new { type = "interrupt-signal", text = "" });

        await Eventually.TrueAsync(() => _asr.AbortedRequests == 1, because: "the interrupt cancels the upload");
        Assert.Empty(await client.DrainAsync());
        Assert.Empty(_llm.Requests);
        var request = Assert.Single(_asr.Requests);
        Assert.Equal(("Bearer sk-asr", "whisper-1", (1, 1, 16000, 16)),
            (request.Authorization, request.Fields["model"], request.WavFormat));
    }

    [Fact]
    public async Task A_recognition_failure_is_an_error_frame_and_a_clean_end()
    {
        await using var client = await _server.ConnectPastGreetingAsync();
        _asr.FailWith = System.Net.HttpStatusCode.InternalServerError;

        await client.SendAsync(new { type = "mic-audio-data", audio = new float[4096] });
        await client.SendAsync(new { type = "mic-audio-end" });
        var frames = await client.ReceiveUntilAsync("control", "conversation-chain-end");

        Assert.Equal(
            ["control(conversation-chain-start)", "full-text(Thinking...)", "error", "force-new-message",
             "control(conversation-chain-end)"],
            frames.Select(OlvClient.Describe));
        Assert.StartsWith("Speech recognition failed: openai_whisper: ", (string?)frames[2]["message"]);
        Assert.Contains("answered 500", (string?)frames[2]["message"]);
        Assert.Empty(_llm.Requests);
    }
}
