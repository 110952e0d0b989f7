using System.Text.Json;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Tts;

public sealed class FishApiTtsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeHttpTtsServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpTtsServer.StartFishAudioAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private FishApiTts Engine(string apiKey = "test-key", string referenceId = "7f92f8afb8ec43bf81429cc1c9199cb1") => new(
        new FishApiTtsConfig { ApiKey = apiKey, ReferenceId = referenceId, Latency = "balanced", BaseUrl = _server.BaseUrl.ToString() },
        Http);

    [Fact]
    public async Task The_streamed_mp3_is_decoded_and_the_request_has_the_sdks_fields_and_bearer_key()
    {
        var audio = await Engine().SynthesizeAsync("Hello, nice to meet you.", CancellationToken.None);

        Assert.Equal(AudioDecoder.Decode(TestAssets.Read(TestAssets.SpeechMp3)).Samples, audio.Samples);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/tts", request.Path);
        Assert.Equal("Bearer test-key", request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("Hello, nice to meet you.", root.GetProperty("text").GetString());
        Assert.Equal("7f92f8afb8ec43bf81429cc1c9199cb1", root.GetProperty("reference_id").GetString());
        Assert.Equal("balanced", root.GetProperty("latency").GetString());
        Assert.Equal("mp3", root.GetProperty("format").GetString());
        Assert.Equal(128, root.GetProperty("mp3_bitrate").GetInt32());
        Assert.Equal(200, root.GetProperty("chunk_length").GetInt32());
    }

    [Fact]
    public async Task An_empty_reference_id_is_sent_as_null_for_the_services_default_voice()
    {
        await Engine(referenceId: "").SynthesizeAsync("Hi.", CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("reference_id").ValueKind);
    }

    [Fact]
    public async Task A_wrong_key_is_an_engine_failure_with_the_services_message()
    {
        var failure = await Assert.ThrowsAsync<TtsException>(
            () => Engine(apiKey: "wrong").SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Equal(FishApiTts.Model, failure.Engine);
        Assert.Contains("401", failure.Message);
        Assert.Contains("Invalid api key", failure.Message);
    }
}
