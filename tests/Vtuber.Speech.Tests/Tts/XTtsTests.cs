using System.Text.Json;
using Vtuber.Domain.Config;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Tts;

public sealed class XTtsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeHttpTtsServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpTtsServer.StartXTtsAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private XTts Engine(string path = FakeHttpTtsServer.XTtsPath) => new(new XTtsConfig
    {
        ApiUrl = new Uri(_server.BaseUrl, path).ToString(), SpeakerWav = "female", Language = "en",
    }, Http);

    [Fact]
    public async Task The_wav_reply_is_decoded_and_the_request_carries_text_speaker_and_language()
    {
        var audio = await Engine().SynthesizeAsync("Hello, nice to meet you.", CancellationToken.None);

        Assert.Equal(24000, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal(TtsFakeAudio.SpeechSamples().Length * 24000 / 22050, audio.Samples.Length);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("Hello, nice to meet you.", body.RootElement.GetProperty("text").GetString());
        Assert.Equal("female", body.RootElement.GetProperty("speaker_wav").GetString());
        Assert.Equal("en", body.RootElement.GetProperty("language").GetString());
    }

    [Fact]
    public async Task A_wrong_path_is_an_engine_failure_naming_the_endpoint_and_status()
    {
        var failure = await Assert.ThrowsAsync<TtsException>(
            () => Engine("/tts_to_nowhere").SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Equal(XTts.Model, failure.Engine);
        Assert.Contains("/tts_to_nowhere answered 404", failure.Message);
    }
}
