using System.Net;
using Vtuber.Domain.Config;
using Vtuber.Speech.Asr;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Asr;

public sealed class OpenAiTranscriptionRecognizerTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeTranscriptionServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeTranscriptionServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Openai_whisper_uploads_a_16k_mono_16bit_wav_with_model_language_and_key()
    {
        _server.RequiredApiKey = "sk-asr";
        _server.Transcript = " What time is it? ";
        var recognizer = AsrEngineFactory.Create(new AsrConfig
        {
            AsrModel = "openai_whisper",
            OpenAiWhisper = new OpenAiWhisperAsrConfig
            {
                BaseUrl = _server.BaseUrl.ToString(), ApiKey = "sk-asr", Model = "whisper-1", Language = "en", Prompt = "Mao",
            },
        }, Http, "conf.yaml");
        var samples = SpokenUtterances.WhatTimeIsIt.Samples16k();

        var text = await recognizer.TranscribeAsync(samples, CancellationToken.None);

        Assert.Equal("What time is it?", text);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer sk-asr", request.Authorization);
        Assert.Equal(("whisper-1", "en", "Mao", "json"),
            (request.Fields["model"], request.Fields["language"], request.Fields["prompt"], request.Fields["response_format"]));
        Assert.Equal(("audio.wav", "audio/wav"), (request.FileName, request.FileContentType));
        Assert.Equal((1, 1, 16000, 16), request.WavFormat);
        // The upload carries exactly the utterance's samples (the asset is 16-bit, so the round trip is lossless).
        Assert.Equal(TestAssets.Read(SpokenUtterances.WhatTimeIsIt.Asset).Length, request.File.Length);
        Assert.Equal(samples, SpokenUtterances.ReadPcm16Mono16k(request.File), new ToleranceComparer(1.5f / 32768));
    }

    [Fact]
    public async Task Groq_sends_its_model_and_lang_to_the_configured_base_url()
    {
        var recognizer = AsrEngineFactory.Create(new AsrConfig
        {
            AsrModel = "groq_whisper_asr",
            GroqWhisperAsr = new GroqWhisperAsrConfig { BaseUrl = _server.BaseUrl.ToString(), ApiKey = "gsk-1", Lang = "de" },
        }, Http, "conf.yaml");

        Assert.Equal("hello from the fake transcriber", await recognizer.TranscribeAsync(new float[8000], CancellationToken.None));

        var request = Assert.Single(_server.Requests);
        Assert.Equal(("Bearer gsk-1", "whisper-large-v3-turbo", "de"),
            (request.Authorization, request.Fields["model"], request.Fields["language"]));
        Assert.False(request.Fields.ContainsKey("prompt"));
        Assert.Equal(8000 * 2 + 44, request.File.Length);
    }

    [Fact]
    public async Task A_refused_request_is_an_asr_error_with_status_and_body()
    {
        _server.RequiredApiKey = "right";
        var recognizer = new OpenAiTranscriptionRecognizer("openai_whisper",
            new TranscriptionEndpoint(_server.BaseUrl.ToString(), "wrong", "whisper-1", null, null), Http);

        var error = await Assert.ThrowsAsync<AsrException>(() => recognizer.TranscribeAsync(new float[160], CancellationToken.None));

        Assert.Contains("answered 401", error.Message);
        Assert.Contains("Incorrect API key provided.", error.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task An_unreachable_server_is_named()
    {
        var recognizer = new OpenAiTranscriptionRecognizer("openai_whisper",
            new TranscriptionEndpoint("http://127.0.0.1:1/v1", "", "whisper-1", null, null), Http);

        var error = await Assert.ThrowsAsync<AsrException>(() => recognizer.TranscribeAsync(new float[160], CancellationToken.None));

        Assert.StartsWith("openai_whisper: cannot reach http://127.0.0.1:1/v1/audio/transcriptions", error.Message);
    }

    [Fact]
    public async Task A_server_failure_is_reported()
    {
        _server.FailWith = HttpStatusCode.ServiceUnavailable;
        var recognizer = new OpenAiTranscriptionRecognizer("groq_whisper_asr",
            new TranscriptionEndpoint(_server.BaseUrl.ToString(), "k", "m", null, null), Http);

        var error = await Assert.ThrowsAsync<AsrException>(() => recognizer.TranscribeAsync(new float[160], CancellationToken.None));

        Assert.Contains("answered 503", error.Message);
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
