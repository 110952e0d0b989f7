using System.Text.Json;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Tts;

public sealed class MinimaxTtsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeHttpTtsServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpTtsServer.StartMinimaxAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MinimaxTts Engine(string apiKey = "test-key", string groupId = "1890", string pronunciationDict = "") => new(
        new MinimaxTtsConfig
        {
            GroupId = groupId, ApiKey = apiKey, VoiceId = "female-shaonv", PronunciationDict = pronunciationDict,
            BaseUrl = _server.BaseUrl.ToString(),
        }, Http);

    [Fact]
    public async Task Hex_audio_of_the_events_is_decoded_once_without_the_closing_repeat()
    {
        _server.ChunkBytes = 500;

        var audio = await Engine().SynthesizeAsync("Hello, nice to meet you.", CancellationToken.None);

        // The closing event carries the whole MP3 again: decoding it too would double the sentence.
        Assert.Equal(AudioDecoder.Decode(TestAssets.Read(TestAssets.SpeechMp3)).Samples, audio.Samples);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("1890", request.Query["GroupId"]);
        Assert.Equal("Bearer test-key", request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("speech-02-turbo", root.GetProperty("model").GetString());
        Assert.Equal("Hello, nice to meet you.", root.GetProperty("text").GetString());
        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.Equal("female-shaonv", root.GetProperty("voice_setting").GetProperty("voice_id").GetString());
        Assert.Equal(0, root.GetProperty("pronunciation_dict").GetProperty("tone").GetArrayLength());
        var setting = root.GetProperty("audio_setting");
        Assert.Equal(32000, setting.GetProperty("sample_rate").GetInt32());
        Assert.Equal("mp3", setting.GetProperty("format").GetString());
    }

    [Fact]
    public async Task A_pronunciation_dict_is_sent_as_the_json_object_it_is()
    {
        await Engine(pronunciationDict: """{"tone": ["测试/(ce4)(shi4)"]}""").SynthesizeAsync("测试", CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.Equal("测试/(ce4)(shi4)", body.RootElement.GetProperty("pronunciation_dict").GetProperty("tone")[0].GetString());
    }

    [Fact]
    public async Task A_login_failure_answered_with_http_200_is_an_engine_failure_with_minimaxs_status()
    {
        var failure = await Assert.ThrowsAsync<TtsException>(
            () => Engine(apiKey: "wrong").SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Equal(MinimaxTts.Model, failure.Engine);
        Assert.Contains("status_code 1004", failure.Message);
        Assert.Contains("login fail", failure.Message);
    }
}
