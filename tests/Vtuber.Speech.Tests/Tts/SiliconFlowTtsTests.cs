using System.Text.Json;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Tts;

public sealed class SiliconFlowTtsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeHttpTtsServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpTtsServer.StartSiliconFlowAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private SiliconFlowTts Engine(string format = "mp3", int sampleRate = 32000, string apiKey = "test-key") => new(
        new SiliconFlowTtsConfig
        {
            ApiUrl = new Uri(_server.BaseUrl, FakeHttpTtsServer.SiliconFlowPath).ToString(), ApiKey = apiKey,
            ResponseFormat = format, SampleRate = sampleRate, Speed = 1.2, Gain = -2,
        }, Http);

    [Fact]
    public async Task Mp3_is_decoded_and_the_request_carries_olvs_payload_and_bearer_key()
    {
        var audio = await Engine().SynthesizeAsync("Hello, nice to meet you.", CancellationToken.None);

        Assert.Equal(AudioDecoder.Decode(TestAssets.Read(TestAssets.SpeechMp3)).Samples, audio.Samples);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer test-key", request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("Hello, nice to meet you.", root.GetProperty("input").GetString());
        Assert.Equal("FunAudioLLM/CosyVoice2-0.5B", root.GetProperty("model").GetString());
        Assert.Equal("speech:Dreamflowers:5bdstvc39i:xkqldnpasqmoqbakubom", root.GetProperty("voice").GetString());
        Assert.Equal("mp3", root.GetProperty("response_format").GetString());
        Assert.Equal(32000, root.GetProperty("sample_rate").GetInt32());
        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.Equal(1.2, root.GetProperty("speed").GetDouble());
        Assert.Equal(-2, root.GetProperty("gain").GetInt32());
    }

    [Fact]
    public async Task Pcm_is_read_as_mono_s16_at_the_configured_rate()
    {
        _server.ChunkBytes = 333;

        var audio = await Engine("pcm", 22050).SynthesizeAsync("Hi.", CancellationToken.None);

        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(TtsFakeAudio.SpeechSamples(), audio.Samples);
    }

    [Fact]
    public async Task A_wrong_key_is_an_engine_failure()
    {
        var failure = await Assert.ThrowsAsync<TtsException>(
            () => Engine(apiKey: "wrong").SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Equal(SiliconFlowTts.Model, failure.Engine);
        Assert.Contains("401", failure.Message);
        Assert.Contains("Invalid token", failure.Message);
    }
}
