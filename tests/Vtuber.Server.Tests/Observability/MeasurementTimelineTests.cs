using Vtuber.Server.Observability;

namespace Vtuber.Server.Tests.Observability;

/// <summary>The dashboard's 15-minute memory, without a server: buckets, percentiles, sessions over quiet periods.</summary>
public sealed class MeasurementTimelineTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-12-03T12:00:00Z").ToUnixTimeMilliseconds();

    private static MeasurementTimeline Timeline() => new(TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(10));

    [Fact]
    public void Turns_errors_and_latencies_land_in_their_bucket_and_in_the_window_totals()
    {
        var timeline = Timeline();
        timeline.Add(new Measurement(T0 + 1_000, MeasuredStage.TurnEnded, 1, "completed"));
        timeline.Add(new Measurement(T0 + 2_000, MeasuredStage.TurnEnded, 1, "interrupted"));
        timeline.Add(new Measurement(T0 + 12_000, MeasuredStage.TurnEnded, 1, "failed"));
        timeline.Add(new Measurement(T0 + 12_000, MeasuredStage.Error, 1, "llm"));
        timeline.Add(new Measurement(T0 + 13_000, MeasuredStage.Error, 1, "llm"));
        timeline.Add(new Measurement(T0 + 13_000, MeasuredStage.Error, 1, "tts"));
        foreach (var seconds in new[] { 0.1, 0.2, 0.3, 0.4, 2.0 })
        {
            timeline.Add(new Measurement(T0 + 3_000, MeasuredStage.TurnFirstAudio, seconds, null));
        }

        var summary = timeline.Summarize(T0 + 15_000);

        Assert.Equal(90, summary.Points.Count);
        var (first, second) = (summary.Points[^2], summary.Points[^1]);
        Assert.Equal(T0, first.StartMs);
        Assert.Equal((1, 1, 0), (first.Completed, first.Interrupted, first.Failed));
        Assert.Equal(0.3, first.FirstAudioP50);
        Assert.Equal(2.0, first.FirstAudioP95);
        Assert.Equal((0, 1, 3), (second.Completed, second.Failed, second.Errors));
        Assert.Null(second.FirstAudioP50);
        Assert.Equal(new Dictionary<string, int> { ["completed"] = 1, ["interrupted"] = 1, ["failed"] = 1 }, summary.TurnsByOutcome);
        Assert.Equal(new Dictionary<string, int> { ["llm"] = 2, ["tts"] = 1 }, summary.ErrorsByKind);
        Assert.Equal(new StageSummary(5, 0.3, 2.0), summary.Stages["firstAudio"]);
        Assert.Equal(new StageSummary(0, null, null), summary.Stages["asrUtterance"]);
    }

    [Fact]
    public void Measurements_older_than_the_window_are_forgotten_and_sessions_carry_through_quiet_buckets()
    {
        var timeline = Timeline();
        timeline.Add(new Measurement(T0, MeasuredStage.SessionsDelta, 1, null));
        timeline.Add(new Measurement(T0, MeasuredStage.SessionsDelta, 1, null));
        timeline.Add(new Measurement(T0, MeasuredStage.TurnEnded, 1, "completed"));
        timeline.Add(new Measurement(T0 + 5_000, MeasuredStage.SessionsDelta, -1, null));

        var later = timeline.Summarize(T0 + 60_000);
        Assert.Equal(1, later.SessionsActive);
        Assert.Equal(2, later.Points.Single(p => p.StartMs == T0).Sessions); // the bucket's peak
        Assert.All(later.Points.Where(p => p.StartMs > T0), p => Assert.Equal(1, p.Sessions));
        Assert.Equal(1, later.TurnsByOutcome["completed"]);

        var muchLater = timeline.Summarize(T0 + (long)TimeSpan.FromMinutes(16).TotalMilliseconds);
        Assert.Equal(0, muchLater.TurnsByOutcome["completed"]);
        Assert.DoesNotContain(muchLater.Points, p => p.StartMs == T0);
        Assert.Equal(1, muchLater.SessionsActive);
    }

    [Fact]
    public void Each_bucket_keeps_a_bounded_number_of_latency_samples()
    {
        var timeline = Timeline();
        for (var i = 0; i < MeasurementTimeline.SamplesPerStage + 100; i++)
        {
            timeline.Add(new Measurement(T0, MeasuredStage.TtsSentence, 0.5, null));
        }
        Assert.Equal(MeasurementTimeline.SamplesPerStage, timeline.Summarize(T0).Stages["ttsSentence"].Count);
    }
}
