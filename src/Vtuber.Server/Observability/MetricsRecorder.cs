using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Vtuber.Actors.Telemetry;

namespace Vtuber.Server.Observability;

/// <summary>
/// The dashboard's listener on the <c>Vtuber.Akka</c> meter: the same measurements the exporters see, kept for the
/// last 15 minutes in a <see cref="MeasurementTimeline"/>. The recording side only enqueues a struct on a lock-free
/// queue (the turn pipeline must not wait for the dashboard); a one-second timer, and each summary request, move the
/// queue into the timeline under a lock that only they take.
/// </summary>
public sealed class MetricsRecorder : IHostedService, IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan BucketSize = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Overflow policy: measurements beyond this many waiting are dropped (and counted in <see cref="Dropped"/>).
    /// The queue is drained every second and a server records a few per sentence, so only a stalled drain reaches it.
    /// </summary>
    public const int MaxPending = 16_384;

    private readonly ConcurrentQueue<Measurement> _pending = new();
    private readonly MeasurementTimeline _timeline = new(Window, BucketSize);
    private readonly Lock _drain = new();
    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private int _pendingCount;
    private long _dropped;
    private ITimer? _timer;

    public MetricsRecorder(TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == VtuberMetrics.MeterName && StageOf(instrument.Name) is { } stage)
            {
                listener.EnableMeasurementEvents(instrument, stage); // boxed once per instrument, not per value
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Enqueue((MeasuredStage)state!, value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Enqueue((MeasuredStage)state!, value, tags));
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        _timer = _time.CreateTimer(_ => Drain(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public TimelineSummary Summarize()
    {
        lock (_drain)
        {
            DrainLocked();
            return _timeline.Summarize(_time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _listener.Dispose();
    }

    private void Enqueue(MeasuredStage stage, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Interlocked.Increment(ref _pendingCount) > MaxPending)
        {
            Interlocked.Decrement(ref _pendingCount);
            Interlocked.Increment(ref _dropped);
            return;
        }
        string? tag = null;
        foreach (var (key, tagValue) in tags)
        {
            if (key is VtuberMetrics.OutcomeTag or VtuberMetrics.KindTag)
            {
                tag = tagValue as string;
            }
        }
        _pending.Enqueue(new Measurement(_time.GetUtcNow().ToUnixTimeMilliseconds(), stage, value, tag));
    }

    private void Drain()
    {
        lock (_drain)
        {
            DrainLocked();
            _timeline.Tick(_time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    private void DrainLocked()
    {
        while (_pending.TryDequeue(out var measurement))
        {
            Interlocked.Decrement(ref _pendingCount);
            _timeline.Add(measurement);
        }
    }

    private static MeasuredStage? StageOf(string instrument) => instrument switch
    {
        VtuberMetrics.TurnFirstAudioName => MeasuredStage.TurnFirstAudio,
        VtuberMetrics.LlmFirstTokenName => MeasuredStage.LlmFirstToken,
        VtuberMetrics.TtsSentenceName => MeasuredStage.TtsSentence,
        VtuberMetrics.AsrUtteranceName => MeasuredStage.AsrUtterance,
        VtuberMetrics.SessionsActiveName => MeasuredStage.SessionsDelta,
        VtuberMetrics.TurnsName => MeasuredStage.TurnEnded,
        VtuberMetrics.ErrorsName => MeasuredStage.Error,
        _ => null,
    };
}
