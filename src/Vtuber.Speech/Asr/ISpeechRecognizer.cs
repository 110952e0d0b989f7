namespace Vtuber.Speech.Asr;

/// <summary>
/// A speech recognizer: one utterance of 16 kHz mono floats in [-1, 1] in, its text out. Implementations are safe to
/// call concurrently (several sessions may finish an utterance at once) and do their work off the caller's thread.
/// </summary>
public interface ISpeechRecognizer
{
    /// <summary>The conf.yaml key of the engine (asr_model), for logs and error frames.</summary>
    string Name { get; }

    /// <summary>The transcript, trimmed ("" when nothing was recognised). Throws <see cref="AsrException"/> on engine failure.</summary>
    Task<string> TranscribeAsync(ReadOnlyMemory<float> samples16k, CancellationToken cancellationToken);
}

public sealed class AsrException(string engine, string message, Exception? inner = null)
    : Exception($"{engine}: {message}", inner)
{
    public string Engine { get; } = engine;
}
