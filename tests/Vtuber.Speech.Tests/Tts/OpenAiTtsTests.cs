using System.Net;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Tts;

public sealed class OpenAiTtsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeSpeechServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeSpeechServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
    }

    private OpenAiTts Engine(string format, string apiKey = "sk-test") => new(new OpenAiTtsConfig
    {
        Model = "kokoro",
        Voice = "af_sky+af_bella",
        ApiKey = apiKey,
        BaseUrl = _server.BaseUrl.ToString(),
        FileExtension = format,
    }, Http);

    [Fact]
    public async Task Wav_reply_is_decoded_and_the_request_carries_model_voice_input_format_and_key()
    {
        _server.RequiredApiKey = "sk-test";

        var audio = await Engine("wav").SynthesizeAsync("Hi there.", CancellationToken.None);

        Assert.Equal(AudioDecoder.Decode(TestAssets.Read(TestAssets.SpeechWav)).Samples, audio.Samples);
        Assert.Equal(22050, audio.SampleRate);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(new SpeechRequestRecord("kokoro", "af_sky+af_bella", "Hi there.", "wav", "Bearer sk-test"), request);
    }

    [Fact]
    public async Task Mp3_reply_is_decoded_at_its_own_rate()
    {
        var audio = await Engine("mp3").SynthesizeAsync("Hello, nice to meet you.", CancellationToken.None);

        Assert.Equal(24000, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.InRange(audio.Duration.TotalSeconds, 1.43, 1.55);
        Assert.False(VolumeEnvelope.IsSilent(audio));
        Assert.Equal("mp3", Assert.Single(_server.Requests).ResponseFormat);
    }

    [Fact]
    public async Task Base_url_with_a_trailing_slash_reaches_the_same_endpoint()
    {
        var tts = new OpenAiTts(new OpenAiTtsConfig { BaseUrl = _server.BaseUrl + "/", FileExtension = "wav" }, Http);

        var audio = await tts.SynthesizeAsync("Hi.", CancellationToken.None);

        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal("Bearer not-needed", Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task Server_error_is_a_tts_error_with_status_and_body()
    {
        _server.FailWith = HttpStatusCode.InternalServerError;

        var error = await Assert.ThrowsAsync<TtsException>(() => Engine("wav").SynthesizeAsync("Hello.", CancellationToken.None));

        Assert.Equal("openai_tts", error.Engine);
        Assert.Contains("500", error.Message);
        Assert.Contains("told to fail", error.Message);
    }

    [Fact]
    public async Task Wrong_api_key_is_a_tts_error_with_status_401()
    {
        _server.RequiredApiKey = "sk-right";

        var error = await Assert.ThrowsAsync<TtsException>(() => Engine("wav", apiKey: "sk-wrong").SynthesizeAsync("Hello.", CancellationToken.None));

        Assert.Contains("401", error.Message);
        Assert.Contains("Incorrect API key", error.Message);
    }

    [Fact]
    public async Task Unreachable_server_is_a_tts_error()
    {
        var closed = await FakeSpeechServer.StartAsync();
        var baseUrl = closed.BaseUrl.ToString();
        await closed.DisposeAsync();
        var tts = new OpenAiTts(new OpenAiTtsConfig { BaseUrl = baseUrl }, Http);

        var error = await Assert.ThrowsAsync<TtsException>(() => tts.SynthesizeAsync("Hello.", CancellationToken.None));

        Assert.Contains("cannot reach", error.Message);
    }

    [Fact]
    public async Task Cancellation_abandons_the_request_on_the_wire()
    {
        _server.ResponseDelay = TimeSpan.FromMinutes(10);
        using var cancellation = new CancellationTokenSource();

        var synthesis = Engine("wav").SynthesizeAsync("Hello.", cancellation.Token);
        await Eventually.TrueAsync(() => _server.Requests.Count == 1, "the request to reach the server");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => synthesis);
        await Eventually.TrueAsync(() => _server.AbortedRequests == 1, "the server to see the request aborted");
    }
}
