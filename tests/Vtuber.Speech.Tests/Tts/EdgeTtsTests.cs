using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Tts;

public sealed class EdgeTtsTests : IAsyncLifetime
{
    private FakeEdgeTtsServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeEdgeTtsServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private EdgeTts Engine(string voice = "en-US-EmmaMultilingualNeural") => new(new EdgeTtsConfig
    {
        Voice = voice,
        Rate = "-10%",
        Pitch = "+5Hz",
        Volume = "+20%",
        BaseUrl = _server.BaseUrl.ToString(),
    });

    [Fact]
    public async Task Audio_frames_are_reassembled_into_the_servers_mp3_and_decoded()
    {
        _server.FrameBytes = 1000; // many frames, each splitting MP3 frames in the middle

        var audio = await Engine().SynthesizeAsync("Hello, nice to meet you.", CancellationToken.None);

        // Sample-identical to decoding the MP3 the server sent in one piece: every byte arrived, in order.
        var sent = AudioDecoder.Decode(TestAssets.Read(TestAssets.SpeechMp3));
        Assert.Equal(sent.Samples, audio.Samples);
        Assert.Equal(24000, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.InRange(audio.Duration.TotalSeconds, 1.3, 1.6);
    }

    [Fact]
    public async Task Speech_config_and_escaped_ssml_carry_voice_and_prosody()
    {
        await Engine("en-GB-SoniaNeural").SynthesizeAsync("Tom & Jerry say <hi> 'now'", CancellationToken.None);

        var synthesis = Assert.Single(_server.Syntheses);
        Assert.Contains("Path:speech.config", synthesis.SpeechConfigFrame);
        Assert.Contains("\"outputFormat\":\"audio-24khz-48kbitrate-mono-mp3\"", synthesis.SpeechConfigFrame);
        Assert.Equal(
            "<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='en-US'>" +
            "<voice name='en-GB-SoniaNeural'><prosody pitch='+5Hz' rate='-10%' volume='+20%'>" +
            "Tom &amp; Jerry say &lt;hi&gt; &apos;now&apos;</prosody></voice></speak>",
            synthesis.Ssml);
        Assert.Equal("Tom & Jerry say <hi> 'now'", synthesis.SpokenText);
        Assert.Contains("Edg/", synthesis.UserAgent);
    }

    [Fact]
    public async Task A_403_teaches_the_clock_skew_and_the_retry_succeeds_and_later_sentences_need_no_retry()
    {
        _server.ClockOffset = TimeSpan.FromMinutes(47);
        var engine = Engine();

        var first = await engine.SynthesizeAsync("One.", CancellationToken.None);
        var second = await engine.SynthesizeAsync("Two.", CancellationToken.None);

        Assert.NotEmpty(first.Samples);
        Assert.NotEmpty(second.Samples);
        Assert.Equal(1, _server.Refusals);
        Assert.Equal(2, _server.Syntheses.Count);
        Assert.InRange(engine.ClockSkew.TotalMinutes, 46.9, 47.1);
    }

    [Fact]
    public async Task A_socket_closed_without_audio_is_an_engine_failure()
    {
        _server.FailForText = text => text.Contains("break");

        var failure = await Assert.ThrowsAsync<TtsException>(
            () => Engine().SynthesizeAsync("Please break.", CancellationToken.None));

        Assert.Equal(EdgeTts.Model, failure.Engine);
        Assert.Contains("closed the connection before turn.end", failure.Message);
    }

    [Fact]
    public async Task An_unreachable_service_is_an_engine_failure_naming_the_url()
    {
        var engine = new EdgeTts(new EdgeTtsConfig { BaseUrl = "ws://127.0.0.1:1/edge/v1" });

        var failure = await Assert.ThrowsAsync<TtsException>(() => engine.SynthesizeAsync("Hi.", CancellationToken.None));

        Assert.Contains("ws://127.0.0.1:1/edge/v1", failure.Message);
    }

    [Fact]
    public void Sec_ms_gec_matches_node_edge_tts_for_the_same_moment()
    {
        var token = EdgeTts.SecMsGec(DateTimeOffset.FromUnixTimeSeconds(1764067000));

        Assert.StartsWith("22004248DF8E", token);
        Assert.EndsWith("735072", token);
        Assert.Equal(FakeEdgeTtsServer.ExpectedToken(DateTimeOffset.FromUnixTimeSeconds(1764067000)), token);
    }
}
