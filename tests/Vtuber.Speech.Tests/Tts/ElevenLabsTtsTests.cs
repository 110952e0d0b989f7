using System.Text.Json;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Tts;

public sealed class ElevenLabsTtsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeElevenLabsServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeElevenLabsServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ElevenLabsTts Engine(string outputFormat = "mp3_44100_128", string apiKey = "xi-test-key") => new(
        new ElevenLabsTtsConfig
        {
            ApiKey = apiKey,
            VoiceId = "JBFqnCBsd6RMkjVDRZzb",
            ModelId = "eleven_multilingual_v2",
            OutputFormat = outputFormat,
            Stability = 0.4,
            SimilarityBoost = 0.7,
            Style = 0.1,
            UseSpeakerBoost = false,
            BaseUrl = _server.BaseUrl.ToString(),
        }, Http);

    [Fact]
    public async Task Streamed_mp3_is_decoded_and_the_request_carries_key_voice_model_format_and_settings()
    {
        var audio = await Engine().SynthesizeAsync("Hello, nice to meet you.", CancellationToken.None);

        Assert.Equal(AudioDecoder.Decode(TestAssets.Read(TestAssets.SpeechMp3)).Samples, audio.Samples);
        Assert.Equal(24000, audio.SampleRate);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("JBFqnCBsd6RMkjVDRZzb", request.VoiceId);
        Assert.Equal("mp3_44100_128", request.OutputFormat);
        Assert.Equal("xi-test-key", request.ApiKey);
        Assert.StartsWith("application/json", request.ContentType);
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("Hello, nice to meet you.", root.GetProperty("text").GetString());
        Assert.Equal("eleven_multilingual_v2", root.GetProperty("model_id").GetString());
        var settings = root.GetProperty("voice_settings");
        Assert.Equal(0.4, settings.GetProperty("stability").GetDouble());
        Assert.Equal(0.7, settings.GetProperty("similarity_boost").GetDouble());
        Assert.Equal(0.1, settings.GetProperty("style").GetDouble());
        Assert.False(settings.GetProperty("use_speaker_boost").GetBoolean());
    }

    [Fact]
    public async Task Raw_pcm_format_is_read_as_mono_s16_at_the_formats_rate()
    {
        _server.ChunkBytes = 333; // odd chunks split samples between reads

        var audio = await Engine("pcm_22050").SynthesizeAsync("Hi there.", CancellationToken.None);

        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal(AudioDecoder.Decode(TestAssets.Read(TestAssets.SpeechWav)).Samples, audio.Samples);
    }

    [Fact]
    public async Task Wav_format_is_decoded_from_its_header()
    {
        var audio = await Engine("wav_22050").SynthesizeAsync("Hi there.", CancellationToken.None);

        Assert.Equal(AudioDecoder.Decode(TestAssets.Read(TestAssets.SpeechWav)).Samples, audio.Samples);
        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(14272, audio.Samples.Length);
    }

    [Fact]
    public async Task A_wrong_key_is_an_engine_failure_with_the_services_detail()
    {
        var failure = await Assert.ThrowsAsync<TtsException>(
            () => Engine(apiKey: "wrong").SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Equal(ElevenLabsTts.Model, failure.Engine);
        Assert.Contains("401", failure.Message);
        Assert.Contains("invalid_api_key", failure.Message);
    }
}
