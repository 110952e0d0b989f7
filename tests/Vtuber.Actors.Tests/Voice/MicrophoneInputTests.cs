using System.Text;
using Vtuber.Actors.Voice;
using Vtuber.Domain.Config;
using Vtuber.Protocol;

namespace Vtuber.Actors.Tests.Voice;

public class MicrophoneInputTests
{
    private static AudioSamples Frame(params float[] samples)
    {
        var json = "{\"type\":\"mic-audio-data\",\"audio\":[" +
                   string.Join(',', samples.Select(s => s.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]}";
        return ((MicAudioData)ClientMessageParser.Parse(Encoding.UTF8.GetBytes(json)).Message!).Samples;
    }

    [Fact]
    public void Frames_are_joined_in_order_across_chunk_boundaries()
    {
        var buffer = new UtteranceBuffer(100_000);
        var expected = Enumerable.Range(0, 40_000).Select(i => (float)Math.Sin(i) * 0.5f).ToArray();

        // 4096-sample frames, as the frontend sends, crossing the 16000-sample chunks at odd offsets.
        foreach (var frame in expected.Chunk(4096))
        {
            Assert.True(buffer.TryAppend(frame));
        }

        Assert.Equal(40_000, buffer.Count);
        Assert.Equal(expected, buffer.Take());
        Assert.Equal(0, buffer.Count);
        Assert.Empty(buffer.Take());
    }

    [Fact]
    public void A_frame_that_would_cross_the_capacity_is_refused_whole()
    {
        var buffer = new UtteranceBuffer(10);
        Assert.True(buffer.TryAppend([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f]));

        Assert.False(buffer.TryAppend([0.9f, 1f, -1f]));
        Assert.True(buffer.TryAppend([0.9f, 1f]));

        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1f], buffer.Take());
    }

    [Fact]
    public void Mic_audio_end_takes_the_utterance_and_starts_the_next_one_empty()
    {
        var microphone = new MicrophoneInput(new VoiceOptions());
        Assert.Null(microphone.Add(Frame(0.5f, -0.5f)));
        Assert.Null(microphone.Add(Frame(0.25f)));

        Assert.Equal(new float[] { 0.5f, -0.5f, 0.25f }, microphone.End().Samples16k);
        var next = microphone.End();
        Assert.Empty(next.Samples16k);
        Assert.Equal("No speech to answer: mic-audio-end came without any mic-audio-data", next.Refusal);
    }

    [Fact]
    public void An_utterance_over_the_cap_is_dropped_with_one_error_and_its_end_is_refused()
    {
        // 0.0005 s at 16 kHz = 8 samples.
        var microphone = new MicrophoneInput(new VoiceOptions { MaxUtteranceSeconds = 0.0005 });
        Assert.Null(microphone.Add(Frame(0.1f, 0.1f, 0.1f, 0.1f, 0.1f)));

        Assert.Equal("Voice input dropped: the utterance is longer than 0.0005 s (system_config.voice.max_utterance_seconds)",
            microphone.Add(Frame(0.1f, 0.1f, 0.1f, 0.1f)));
        Assert.Null(microphone.Add(Frame(0.1f))); // the rest of the dropped utterance is ignored quietly

        var end = microphone.End();
        Assert.Empty(end.Samples16k);
        Assert.StartsWith("No speech to answer: the utterance was dropped for being longer than", end.Refusal);
        Assert.Null(microphone.Add(Frame(0.3f)));
        Assert.Equal(new float[] { 0.3f }, microphone.End().Samples16k);
    }
}
