using Vtuber.Domain.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// A text-to-speech engine. Whatever the engine produces (WAV of any width, MP3, raw PCM) is decoded to PCM16 here,
/// so the turn pipeline only ever sees <see cref="Pcm16Audio"/>. Implementations are safe to call concurrently:
/// a turn synthesises several sentences at once.
/// </summary>
public interface ITtsEngine
{
    /// <summary>The conf.yaml key of the engine (tts_model), for logs and error frames.</summary>
    string Name { get; }

    /// <summary>Synthesises one sentence. Throws <see cref="TtsException"/> on engine failure; honours cancellation.</summary>
    Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken);
}

public sealed class TtsException(string engine, string message, Exception? inner = null)
    : Exception($"{engine}: {message}", inner)
{
    public string Engine { get; } = engine;
}
