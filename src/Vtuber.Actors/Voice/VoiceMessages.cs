using Vtuber.Agents;

namespace Vtuber.Actors.Voice;

/// <summary>
/// The entry point of a voice turn, whatever found the utterance (the browser's VAD through mic-audio-end, or the
/// server's own VAD): tell the session this and it runs chain-start, "Thinking...", ASR, user-input-transcription and
/// the reply, exactly as for mic-audio-end. Samples are 16 kHz mono floats in [-1, 1]; an empty array ends the turn
/// with an error and no LLM call.
/// </summary>
public sealed record Utterance(float[] Samples16k, IReadOnlyList<ImageInput> Images);

/// <summary>The ASR result of turn TurnId, piped back to the session: Text, or Error when the engine failed.</summary>
public sealed record UtteranceTranscribed(long TurnId, string Text, string? Error);


/// <summary>
/// The session's answer to an audio frame (mic-audio-data buffered, raw-audio-data queued for the VAD). The socket reader asks and waits for
/// it before reading the next frame: that wait is the backpressure from a lagging VAD to the client.
/// </summary>
public sealed record AudioAccepted
{
    public static readonly AudioAccepted Instance = new();
}
