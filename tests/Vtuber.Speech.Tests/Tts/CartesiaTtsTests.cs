using System.Text.Json;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Tts;

public sealed class CartesiaTtsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeHttpTtsServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpTtsServer.StartCartesiaAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private CartesiaTts Engine(string format = "wav", string apiKey = "test-key") => new(new CartesiaTtsConfig
    {
        ApiKey = apiKey, OutputFormat = format, Emotion = "happy", Volume = 1.5, Speed = 0.9, Language = "ja",
        BaseUrl = _server.BaseUrl.ToString(),
    }, Http);

    [Fact]
    public async Task Float_wav_at_44k_is_decoded_and_the_request_has_key_version_voice_and_generation_config()
    {
        var audio = await Engine().SynthesizeAsync("Hello, nice to meet you.", CancellationToken.None);

        Assert.Equal(44100, audio.SampleRate);
        Assert.Equal(TtsFakeAudio.SpeechSamples().Length * 2, audio.Samples.Length);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("test-key", request.Headers["X-API-Key"]);
        Assert.Equal(CartesiaTtsConfig.ApiVersion, request.Headers["Cartesia-Version"]);
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("sonic-3", root.GetProperty("model_id").GetString());
        Assert.Equal("Hello, nice to meet you.", root.GetProperty("transcript").GetString());
        Assert.Equal("id", root.GetProperty("voice").GetProperty("mode").GetString());
        Assert.Equal("6ccbfb76-1fc6-48f7-b71d-91ac6298247b", root.GetProperty("voice").GetProperty("id").GetString());
        Assert.Equal("pcm_f32le", root.GetProperty("output_format").GetProperty("encoding").GetString());
        Assert.Equal("ja", root.GetProperty("language").GetString());
        var generation = root.GetProperty("generation_config");
        Assert.Equal("happy", generation.GetProperty("emotion").GetString());
        Assert.Equal(1.5, generation.GetProperty("volume").GetDouble());
        Assert.Equal(0.9, generation.GetProperty("speed").GetDouble());
    }

    [Fact]
    public async Task Mp3_is_decoded_from_its_bytes()
    {
        var audio = await Engine("mp3").SynthesizeAsync("Hi.", CancellationToken.None);

        Assert.Equal(AudioDecoder.Decode(TestAssets.Read(TestAssets.SpeechMp3)).Samples, audio.Samples);
        using var body = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.Equal(128000, body.RootElement.GetProperty("output_format").GetProperty("bit_rate").GetInt32());
    }

    [Fact]
    public async Task A_wrong_key_is_an_engine_failure()
    {
        var failure = await Assert.ThrowsAsync<TtsException>(
            () => Engine(apiKey: "wrong").SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Equal(CartesiaTts.Model, failure.Engine);
        Assert.Contains("401", failure.Message);
        Assert.Contains("Invalid API key", failure.Message);
    }
}
