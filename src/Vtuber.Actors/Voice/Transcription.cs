using Vtuber.Speech.Asr;

namespace Vtuber.Actors.Voice;

/// <summary>
/// Runs ASR for one turn off the actor's thread (the engines do their native work on the thread pool) and turns
/// every outcome into a message to pipe back: the session never awaits, and a cancelled or failed recognition is
/// an ordinary message, not an actor failure.
/// </summary>
public static class Transcription
{
    public static async Task<UtteranceTranscribed> RunAsync(ISpeechRecognizer recognizer, float[] samples16k, long turnId,
        CancellationToken cancellationToken)
    {
        try
        {
            var text = await recognizer.TranscribeAsync(samples16k, cancellationToken).ConfigureAwait(false);
            return new UtteranceTranscribed(turnId, text.Trim(), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The turn was interrupted; the session has already moved on and drops this result by its turn id.
            return new UtteranceTranscribed(turnId, "", "cancelled");
        }
        catch (Exception e)
        {
            var reason = e is AsrException ? e.Message : $"{recognizer.Name}: {e.Message}";
            return new UtteranceTranscribed(turnId, "", $"Speech recognition failed: {reason}");
        }
    }
}
