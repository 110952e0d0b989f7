using System.Diagnostics;
using Vtuber.Actors.Telemetry;
using Vtuber.Speech;
using Vtuber.Speech.Asr;

namespace Vtuber.Actors.Voice;

/// <summary>
/// Runs ASR for one turn off the actor's thread (the engines do their native work on the thread pool) and turns
/// every outcome into a message to pipe back: the session never awaits, and a cancelled or failed recognition is
/// an ordinary message, not an actor failure. A recognition past its deadline (system_config.turn.asr_timeout_seconds)
/// is a failure like any other: the turn ends with an error.
/// </summary>
public static class Transcription
{
    public static async Task<UtteranceTranscribed> RunAsync(ISpeechRecognizer recognizer, float[] samples16k, long turnId,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var text = await Deadline.RunAsync(ct => recognizer.TranscribeAsync(samples16k, ct), timeout, cancellationToken)
                .ConfigureAwait(false);
            VtuberMetrics.AsrUtterance.Record(VtuberMetrics.SecondsSince(started),
                new KeyValuePair<string, object?>(VtuberMetrics.EngineTag, recognizer.Name));
            return new UtteranceTranscribed(turnId, text.Trim(), null);
        }
        catch (DeadlineExceededException e)
        {
            VtuberMetrics.Error(VtuberMetrics.ErrorKind.Asr);
            return new UtteranceTranscribed(turnId, "",
                $"Speech recognition failed: ASR {recognizer.Name} gave no transcript within {e.BoundSeconds} s");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The turn was interrupted; the session has already moved on and drops this result by its turn id.
            return new UtteranceTranscribed(turnId, "", "cancelled");
        }
        catch (Exception e)
        {
            VtuberMetrics.Error(VtuberMetrics.ErrorKind.Asr);
            var reason = e is AsrException ? e.Message : $"{recognizer.Name}: {e.Message}";
            return new UtteranceTranscribed(turnId, "", $"Speech recognition failed: {reason}");
        }
    }
}
