using Vtuber.Domain.Config;
using Vtuber.Domain.Vad;

namespace Vtuber.Domain.Tests.Vad;

public sealed class SpeechDetectorTests
{
    private static readonly SileroVadConfig Defaults = new(); // OLV: 0.4, 60 dB, 3 hits, 24 misses, smoothing 5
    private int _serial;

    // A constant window of 0.1 is 20·log10(3276.7) ≈ 70 dB on OLV's int16 scale: loud enough. Each window gets a
    // distinct value so an utterance's content can be traced back to the windows fed.
    private float[] Loud() => Filled(0.1f + ++_serial * 1e-5f);
    private float[] Quiet() => Filled(++_serial * 1e-9f); // ≈ −50 dB: far below 60

    private static float[] Filled(float value) => Enumerable.Repeat(value, VadWindow.Samples).ToArray();

    /// <summary>Feeds windows until an event; returns the event and how many windows it took.</summary>
    private static (VadEvent? Event, int Fed) FeedUntilEvent(SpeechDetector detector, Func<float[]> window, float probability, int max)
    {
        for (var i = 1; i <= max; i++)
        {
            if (detector.Process(window(), probability) is { } e)
            {
                return (e, i);
            }
        }
        return (null, max);
    }

    [Fact]
    public void Speech_starts_on_the_required_hit_and_a_miss_resets_the_count()
    {
        var detector = new SpeechDetector(Defaults with { SmoothingWindow = 1 });
        Assert.Null(detector.Process(Loud(), 0.9f));
        Assert.Null(detector.Process(Loud(), 0.9f));
        Assert.Null(detector.Process(Loud(), 0.1f)); // miss: hits back to 0
        Assert.Null(detector.Process(Loud(), 0.9f));
        Assert.Null(detector.Process(Loud(), 0.9f));
        Assert.Equal(VadState.Idle, detector.State);
        Assert.IsType<SpeechStarted>(detector.Process(Loud(), 0.9f));
        Assert.Equal(VadState.Active, detector.State);
    }

    [Fact]
    public void Speech_ends_after_required_misses_twice_and_the_utterance_is_pre_roll_plus_recording_as_floats()
    {
        var detector = new SpeechDetector(Defaults with { SmoothingWindow = 1 });
        var fed = new List<float[]>();
        float[] Keep(float[] w) { fed.Add(w); return w; }

        for (var i = 0; i < 25; i++) Assert.Null(detector.Process(Keep(Quiet()), 0.05f)); // pre-roll keeps the last 20
        Assert.Null(detector.Process(Keep(Loud()), 0.9f));
        Assert.Null(detector.Process(Keep(Loud()), 0.9f));
        Assert.IsType<SpeechStarted>(detector.Process(Keep(Loud()), 0.9f));
        for (var i = 0; i < 40; i++) Assert.Null(detector.Process(Keep(Loud()), 0.9f));

        for (var i = 1; i < 24; i++) Assert.Null(detector.Process(Keep(Quiet()), 0.05f));
        Assert.Null(detector.Process(Keep(Quiet()), 0.05f));
        Assert.Equal(VadState.Inactive, detector.State);
        for (var i = 1; i < 24; i++) Assert.Null(detector.Process(Keep(Quiet()), 0.05f));
        var ended = Assert.IsType<SpeechEnded>(detector.Process(Keep(Quiet()), 0.05f));
        Assert.Equal(VadState.Idle, detector.State);

        // Pre-roll: the 20 windows up to and including the one that started speech (fed[8..27]); recording: from that
        // window to the end (fed[27..]) — so the starting window appears twice, as in OLV.
        var expected = fed.Skip(8).Take(20).Concat(fed.Skip(27)).SelectMany(w => w).ToArray();
        var utterance = ended.Utterance!;
        Assert.Equal(expected, utterance.Samples16k);
        Assert.All(utterance.Samples16k, s => Assert.InRange(s, -1f, 1f));
        Assert.Equal((20 + 1 + 40 + 48) * VadWindow.Samples, utterance.Samples16k.Length);
    }

    [Fact]
    public void A_recording_of_thirty_windows_or_fewer_ends_without_an_utterance_and_is_not_carried_into_the_next()
    {
        var detector = new SpeechDetector(Defaults with { SmoothingWindow = 1, RequiredHits = 1, RequiredMisses = 5 });
        Assert.IsType<SpeechStarted>(detector.Process(Loud(), 0.9f));
        // 1 + 19 + 5 + 5 = 30 recorded windows: not more than 30.
        for (var i = 0; i < 19; i++) Assert.Null(detector.Process(Loud(), 0.9f));
        var (shortEnd, _) = FeedUntilEvent(detector, Quiet, 0.05f, 10);
        Assert.Null(Assert.IsType<SpeechEnded>(shortEnd).Utterance);

        var first = Loud();
        Assert.IsType<SpeechStarted>(detector.Process(first, 0.9f));
        for (var i = 0; i < 20; i++) Assert.Null(detector.Process(Loud(), 0.9f));
        var (longEnd, _) = FeedUntilEvent(detector, Quiet, 0.05f, 10);
        var samples = Assert.IsType<SpeechEnded>(longEnd).Utterance!.Samples16k;
        Assert.Equal(first, samples[..VadWindow.Samples]); // pre-roll was cleared: starts with the new speech
        Assert.Equal((1 + 1 + 20 + 10) * VadWindow.Samples, samples.Length);
    }

    [Fact]
    public void Windows_with_probability_exactly_zero_are_skipped()
    {
        var detector = new SpeechDetector(Defaults with { SmoothingWindow = 1, RequiredHits = 1, RequiredMisses = 2 });
        Assert.IsType<SpeechStarted>(detector.Process(Loud(), 0.9f));
        for (var i = 0; i < 100; i++) Assert.Null(detector.Process(Quiet(), 0f)); // neither misses nor recorded
        Assert.Equal(VadState.Active, detector.State);
        Assert.Equal(1, detector.RecordedWindows);
    }

    [Fact]
    public void One_confident_window_among_doubtful_ones_is_smoothed_away()
    {
        var smoothed = new SpeechDetector(Defaults with { RequiredHits = 1 });
        var raw = new SpeechDetector(Defaults with { RequiredHits = 1, SmoothingWindow = 1 });
        for (var i = 0; i < 4; i++)
        {
            var w = Loud();
            Assert.Null(smoothed.Process(w, 0.1f));
            Assert.Null(raw.Process(w, 0.1f));
        }
        var spike = Loud();
        Assert.Null(smoothed.Process(spike, 0.95f)); // mean (4·0.1 + 0.95) / 5 = 0.27 < 0.4
        Assert.IsType<SpeechStarted>(raw.Process(spike, 0.95f));
        Assert.IsType<SpeechStarted>(smoothed.Process(Loud(), 0.95f)); // (3·0.1 + 2·0.95) / 5 = 0.44 ≥ 0.4
    }

    [Fact]
    public void Confident_but_quiet_windows_never_start_speech()
    {
        var detector = new SpeechDetector(Defaults);
        var (e, _) = FeedUntilEvent(detector, Quiet, 0.99f, 200);
        Assert.Null(e);
        Assert.InRange(SpeechDetector.Decibels(Filled(0.1f)), 70.3, 70.4);
    }

    [Fact]
    public void A_pause_shorter_than_the_misses_continues_the_same_utterance()
    {
        var detector = new SpeechDetector(Defaults with { SmoothingWindow = 1 });
        var (start, _) = FeedUntilEvent(detector, Loud, 0.9f, 10);
        Assert.IsType<SpeechStarted>(start);
        for (var i = 0; i < 30; i++) Assert.Null(detector.Process(Quiet(), 0.05f)); // 24 → inactive, 6 more
        Assert.Equal(VadState.Inactive, detector.State);
        for (var i = 0; i < 3; i++) Assert.Null(detector.Process(Loud(), 0.9f)); // back to active, no new start
        Assert.Equal(VadState.Active, detector.State);
        var (end, fed) = FeedUntilEvent(detector, Quiet, 0.05f, 100);
        Assert.IsType<SpeechEnded>(end);
        Assert.Equal(48, fed); // required_misses twice: active → inactive → idle
    }

    [Fact]
    public void Endless_speech_is_cut_at_the_recording_cap()
    {
        var detector = new SpeechDetector(Defaults with { SmoothingWindow = 1, RequiredHits = 1 }, maxRecordedWindows: 40);
        Assert.IsType<SpeechStarted>(detector.Process(Loud(), 0.9f));
        var (end, fed) = FeedUntilEvent(detector, Loud, 0.9f, 100);
        Assert.Equal(39, fed);
        Assert.Equal((1 + 40) * VadWindow.Samples, Assert.IsType<SpeechEnded>(end).Utterance!.Samples16k.Length);
        Assert.Equal(VadState.Idle, detector.State);
    }
}
