namespace Vtuber.Server.Observability;

/// <summary>Which of the server's instruments a <see cref="Measurement"/> came from.</summary>
public enum MeasuredStage
{
    TurnFirstAudio,
    LlmFirstToken,
    TtsSentence,
    AsrUtterance,
    SessionsDelta,
    TurnEnded,
    Error,
}

/// <summary>One recorded value: seconds for the stages, a delta for sessions, 1 for a turn or an error; Tag is the
/// turn's outcome or the error's kind.</summary>
public readonly record struct Measurement(long UnixMs, MeasuredStage Stage, double Value, string? Tag);

/// <summary>Count and percentiles (seconds) of one stage; null percentiles when nothing was measured.</summary>
public sealed record StageSummary(int Count, double? P50, double? P95);

/// <summary>One bucket of the timeline, oldest first; StartMs is its start in Unix milliseconds.</summary>
public sealed record TimelinePoint(long StartMs, long Sessions, int Completed, int Interrupted, int Failed, int Errors,
    double? FirstAudioP50, double? FirstAudioP95, double? LlmFirstTokenP50, double? TtsSentenceP50, double? AsrUtteranceP50);

public sealed record TimelineSummary(int BucketSeconds, long SessionsActive, IReadOnlyList<TimelinePoint> Points,
    IReadOnlyDictionary<string, int> TurnsByOutcome, IReadOnlyDictionary<string, int> ErrorsByKind,
    IReadOnlyDictionary<string, StageSummary> Stages);

/// <summary>
/// The dashboard's memory: the last <c>window</c> of measurements in fixed buckets (a ring: a bucket is reused when
/// its time comes round again), summarised as plots need them. Not thread-safe: one owner adds and reads
/// (see <see cref="MetricsRecorder"/>). Bounded: at most <see cref="SamplesPerStage"/> latencies per stage and bucket
/// are kept for percentiles (later ones in that bucket are counted but not kept: the percentiles then describe the
/// bucket's first samples, which for 10 s of one server is every sample in practice).
/// </summary>
public sealed class MeasurementTimeline
{
    public const int SamplesPerStage = 512;
    private const int LatencyStages = 4; // TurnFirstAudio..AsrUtterance

    private readonly long _bucketMs;
    private readonly Bucket[] _buckets;
    private long _sessions;

    public MeasurementTimeline(TimeSpan window, TimeSpan bucket)
    {
        _bucketMs = (long)bucket.TotalMilliseconds;
        _buckets = new Bucket[Math.Max(1, (int)(window.TotalMilliseconds / _bucketMs))];
        for (var i = 0; i < _buckets.Length; i++) _buckets[i] = new Bucket();
    }

    public void Add(in Measurement m)
    {
        var bucket = At(m.UnixMs);
        switch (m.Stage)
        {
            case MeasuredStage.SessionsDelta:
                _sessions += (long)m.Value;
                bucket.Sessions = Math.Max(bucket.Sessions, _sessions);
                bucket.SessionsAtEnd = _sessions;
                break;
            case MeasuredStage.TurnEnded when m.Tag == "completed":
                bucket.Completed++;
                break;
            case MeasuredStage.TurnEnded when m.Tag == "interrupted":
                bucket.Interrupted++;
                break;
            case MeasuredStage.TurnEnded:
                bucket.Failed++;
                break;
            case MeasuredStage.Error:
                var kind = m.Tag ?? "unknown";
                bucket.Errors[kind] = bucket.Errors.GetValueOrDefault(kind) + 1;
                break;
            default:
                var samples = bucket.Samples[(int)m.Stage];
                if (samples.Count < SamplesPerStage) samples.Add(m.Value);
                break;
        }
    }

    /// <summary>Marks the bucket of now as live with the current session count, so quiet periods plot as such.</summary>
    public void Tick(long nowMs)
    {
        var bucket = At(nowMs);
        bucket.Sessions = Math.Max(bucket.Sessions, _sessions);
    }

    public TimelineSummary Summarize(long nowMs)
    {
        Tick(nowMs);
        var newest = nowMs / _bucketMs;
        var points = new List<TimelinePoint>(_buckets.Length);
        var outcomes = new Dictionary<string, int> { ["completed"] = 0, ["interrupted"] = 0, ["failed"] = 0 };
        var errors = new Dictionary<string, int>();
        var all = new List<double>[LatencyStages];
        for (var s = 0; s < LatencyStages; s++) all[s] = [];
        long? lastSessions = null;
        for (var index = newest - _buckets.Length + 1; index <= newest; index++)
        {
            var bucket = _buckets[Slot(index)];
            if (bucket.Index != index)
            {
                // Before the server started (or a gap): no turns, sessions as the last bucket ended.
                points.Add(new TimelinePoint(index * _bucketMs, lastSessions ?? 0, 0, 0, 0, 0, null, null, null, null, null));
                continue;
            }
            lastSessions = bucket.SessionsAtEnd;
            outcomes["completed"] += bucket.Completed;
            outcomes["interrupted"] += bucket.Interrupted;
            outcomes["failed"] += bucket.Failed;
            foreach (var (kind, count) in bucket.Errors) errors[kind] = errors.GetValueOrDefault(kind) + count;
            for (var s = 0; s < LatencyStages; s++) all[s].AddRange(bucket.Samples[s]);
            var firstAudio = bucket.Samples[(int)MeasuredStage.TurnFirstAudio];
            points.Add(new TimelinePoint(index * _bucketMs, bucket.Sessions, bucket.Completed, bucket.Interrupted,
                bucket.Failed, bucket.Errors.Values.Sum(), Percentile(firstAudio, 0.50), Percentile(firstAudio, 0.95),
                Percentile(bucket.Samples[(int)MeasuredStage.LlmFirstToken], 0.50),
                Percentile(bucket.Samples[(int)MeasuredStage.TtsSentence], 0.50),
                Percentile(bucket.Samples[(int)MeasuredStage.AsrUtterance], 0.50)));
        }
        var stages = new Dictionary<string, StageSummary>
        {
            ["firstAudio"] = Stage(all[(int)MeasuredStage.TurnFirstAudio]),
            ["llmFirstToken"] = Stage(all[(int)MeasuredStage.LlmFirstToken]),
            ["ttsSentence"] = Stage(all[(int)MeasuredStage.TtsSentence]),
            ["asrUtterance"] = Stage(all[(int)MeasuredStage.AsrUtterance]),
        };
        return new TimelineSummary((int)(_bucketMs / 1000), _sessions, points, outcomes, errors, stages);
    }

    private static StageSummary Stage(List<double> samples) =>
        new(samples.Count, Percentile(samples, 0.50), Percentile(samples, 0.95));

    /// <summary>Nearest-rank percentile; null for no samples.</summary>
    public static double? Percentile(IReadOnlyCollection<double> samples, double p)
    {
        if (samples.Count == 0) return null;
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private Bucket At(long unixMs)
    {
        var index = unixMs / _bucketMs;
        var bucket = _buckets[Slot(index)];
        if (bucket.Index != index) bucket.Reset(index, _sessions);
        return bucket;
    }

    private int Slot(long index) => (int)(index % _buckets.Length);

    private sealed class Bucket
    {
        public long Index = -1;
        public long Sessions; // the peak in this bucket
        public long SessionsAtEnd;
        public int Completed, Interrupted, Failed;
        public readonly Dictionary<string, int> Errors = [];
        public readonly List<double>[] Samples = [[], [], [], []];

        public void Reset(long index, long sessions)
        {
            Index = index;
            Sessions = SessionsAtEnd = sessions;
            Completed = Interrupted = Failed = 0;
            Errors.Clear();
            foreach (var samples in Samples) samples.Clear();
        }
    }
}
