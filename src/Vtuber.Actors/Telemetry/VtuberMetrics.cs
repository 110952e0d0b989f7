using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vtuber.Actors.Telemetry;

/// <summary>
/// The server's measurements (meter <c>Vtuber.Akka</c>), read by the OpenTelemetry exporters (/metrics, OTLP) and
/// by the dashboard's in-process listener. One static meter: the instruments are recorded from stream stages and
/// tasks that have no DI container at hand, and a Meter is thread-safe and costs nothing while nobody listens.
/// Every recording is once per turn, sentence or utterance (never per audio frame), and the tag overloads used here
/// take their tags by value, so recording allocates nothing.
/// </summary>
public static class VtuberMetrics
{
    public const string MeterName = "Vtuber.Akka";

    public const string TurnFirstAudioName = "vtuber.turn.first_audio";
    public const string LlmFirstTokenName = "vtuber.llm.first_token";
    public const string TtsSentenceName = "vtuber.tts.sentence";
    public const string AsrUtteranceName = "vtuber.asr.utterance";
    public const string SessionsActiveName = "vtuber.sessions.active";
    public const string TurnsName = "vtuber.turns";
    public const string ErrorsName = "vtuber.errors";

    public const string OutcomeTag = "outcome";
    public const string KindTag = "kind";
    public const string EngineTag = "engine";

    private static readonly Meter Meter = new(MeterName);

    // Bucket bounds for latencies in seconds (the SDK's default bounds are meant for milliseconds): fine below a
    // second, where first audio and TTS live, coarse up to a minute, where deadlines fire.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13, 20, 30, 60],
    };

    /// <summary>From the user's input (typed text, or the end of the utterance) to the first frame with audio.</summary>
    public static readonly Histogram<double> TurnFirstAudio = Meter.CreateHistogram<double>(TurnFirstAudioName, "s",
        "Time from a turn's input to its first audio frame handed to the socket", tags: null, advice: Seconds);

    public static readonly Histogram<double> LlmFirstToken = Meter.CreateHistogram<double>(LlmFirstTokenName, "s",
        "Time from the LLM request to its first streamed text", tags: null, advice: Seconds);

    public static readonly Histogram<double> TtsSentence = Meter.CreateHistogram<double>(TtsSentenceName, "s",
        "Synthesis time of one sentence (translation excluded), by engine", tags: null, advice: Seconds);

    public static readonly Histogram<double> AsrUtterance = Meter.CreateHistogram<double>(AsrUtteranceName, "s",
        "Recognition time of one utterance, by engine", tags: null, advice: Seconds);

    public static readonly UpDownCounter<long> SessionsActive = Meter.CreateUpDownCounter<long>(SessionsActiveName,
        "{session}", "Connected client sessions");

    public static readonly Counter<long> Turns = Meter.CreateCounter<long>(TurnsName, "{turn}",
        "Turns ended, by outcome: completed, interrupted, failed");

    public static readonly Counter<long> Errors = Meter.CreateCounter<long>(ErrorsName, "{error}",
        "Errors reported to clients or operators, by kind");

    /// <summary>The values of the outcome tag of <see cref="Turns"/>.</summary>
    public static class Outcome
    {
        public const string Completed = "completed";
        public const string Interrupted = "interrupted";
        public const string Failed = "failed";
    }

    /// <summary>The values of the kind tag of <see cref="Errors"/>: which part of the server failed.</summary>
    public static class ErrorKind
    {
        public const string Llm = "llm";
        public const string Tts = "tts";
        public const string Asr = "asr";
        public const string Translation = "translation";
        public const string Turn = "turn";
        public const string Journal = "journal";
        public const string Vad = "vad";
        public const string SessionCrash = "session_crash";
    }

    public static void TurnEnded(string outcome) => Turns.Add(1, new KeyValuePair<string, object?>(OutcomeTag, outcome));

    public static void Error(string kind) => Errors.Add(1, new KeyValuePair<string, object?>(KindTag, kind));

    /// <summary>Seconds since a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public static double SecondsSince(long timestamp) => Stopwatch.GetElapsedTime(timestamp).TotalSeconds;
}
