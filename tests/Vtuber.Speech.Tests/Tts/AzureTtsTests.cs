using System.Xml.Linq;
using Vtuber.Domain.Config;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Tts;

public sealed class AzureTtsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private static readonly XNamespace Ssml = "http://www.w3.org/2001/10/synthesis";
    private FakeHttpTtsServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpTtsServer.StartAzureAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private AzureTts Engine(string apiKey = "test-key", string pitch = "26") => new(new AzureTtsConfig
    {
        ApiKey = apiKey, Voice = "en-US-AshleyNeural", Pitch = pitch, Rate = "1.1", BaseUrl = _server.BaseUrl.ToString(),
    }, Http);

    [Fact]
    public async Task Ssml_with_voice_and_prosody_gets_24k_pcm16_back()
    {
        var audio = await Engine().SynthesizeAsync("  Tom & Jerry <3  ", CancellationToken.None);

        Assert.Equal(24000, audio.SampleRate);
        Assert.Equal(TtsFakeAudio.SpeechSamples().Length * 24000 / 22050, audio.Samples.Length);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/cognitiveservices/v1", request.Path);
        Assert.Equal("test-key", request.Headers["Ocp-Apim-Subscription-Key"]);
        Assert.Equal(AzureTts.OutputFormat, request.Headers["X-Microsoft-OutputFormat"]);
        var prosody = XElement.Parse(request.Body).Element(Ssml + "voice")!.Element(Ssml + "prosody")!;
        Assert.Equal("en-US-AshleyNeural", (string?)prosody.Parent!.Attribute("name"));
        Assert.Equal("+26%", (string?)prosody.Attribute("pitch"));
        Assert.Equal("1.1", (string?)prosody.Attribute("rate"));
        Assert.Equal("Tom & Jerry <3", prosody.Value); // escaped in the XML, not cut
    }

    [Fact]
    public async Task A_negative_pitch_keeps_its_sign()
    {
        await Engine(pitch: "-10").SynthesizeAsync("Hi.", CancellationToken.None);

        var prosody = XElement.Parse(Assert.Single(_server.Requests).Body).Descendants(Ssml + "prosody").Single();
        Assert.Equal("-10%", (string?)prosody.Attribute("pitch"));
    }

    [Fact]
    public void Without_base_url_the_regions_endpoint_is_used()
    {
        Assert.Equal("https://westeurope.tts.speech.microsoft.com/cognitiveservices/v1",
            new AzureTtsConfig { Region = "westeurope" }.Endpoint);
    }

    [Fact]
    public async Task A_wrong_key_is_an_engine_failure()
    {
        var failure = await Assert.ThrowsAsync<TtsException>(
            () => Engine(apiKey: "wrong").SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Equal(AzureTts.Model, failure.Engine);
        Assert.Contains("401", failure.Message);
    }
}
