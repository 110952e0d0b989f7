using Vtuber.Domain.Config;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Tts;

public sealed class GptSovitsTtsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeHttpTtsServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpTtsServer.StartGptSovitsAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private GptSovitsTts Engine(string streamingMode = "false", string refAudioPath = "ref/voice.wav") => new(new GptSovitsTtsConfig
    {
        ApiUrl = new Uri(_server.BaseUrl, FakeHttpTtsServer.GptSovitsPath).ToString(),
        TextLang = "en", RefAudioPath = refAudioPath, PromptLang = "zh", PromptText = "你好，我是参考。",
        StreamingMode = streamingMode,
    }, Http);

    [Fact]
    public async Task Every_setting_goes_as_a_query_parameter_with_bracketed_tags_cut_from_the_text()
    {
        var audio = await Engine().SynthesizeAsync("[joy] Hello & welcome [laugh]to the stream.", CancellationToken.None);

        Assert.Equal(TtsFakeAudio.SpeechSamples(), audio.Samples);
        Assert.Equal(22050, audio.SampleRate);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(" Hello & welcome to the stream.", request.Query["text"]);
        Assert.Equal("en", request.Query["text_lang"]);
        Assert.Equal("ref/voice.wav", request.Query["ref_audio_path"]);
        Assert.Equal("zh", request.Query["prompt_lang"]);
        Assert.Equal("你好，我是参考。", request.Query["prompt_text"]);
        Assert.Equal("cut5", request.Query["text_split_method"]);
        Assert.Equal("1", request.Query["batch_size"]);
        Assert.Equal("wav", request.Query["media_type"]);
        Assert.Equal("false", request.Query["streaming_mode"]);
    }

    [Fact]
    public async Task Streaming_mode_wav_with_a_zero_length_header_is_read_to_its_end()
    {
        _server.ChunkBytes = 777;

        var audio = await Engine(streamingMode: "true").SynthesizeAsync("Hello.", CancellationToken.None);

        Assert.Equal(TtsFakeAudio.SpeechSamples(), audio.Samples);
        Assert.Equal(22050, audio.SampleRate);
    }

    [Fact]
    public async Task A_missing_reference_audio_is_an_engine_failure_with_the_servers_message()
    {
        var failure = await Assert.ThrowsAsync<TtsException>(
            () => Engine(refAudioPath: "").SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Equal(GptSovitsTts.Model, failure.Engine);
        Assert.Contains("400", failure.Message);
        Assert.Contains("ref_audio_path is required", failure.Message);
    }
}
