namespace Vtuber.Speech.Translation;

/// <summary>
/// Translates the text a TTS engine speaks (translator_config, olv-protocol 8.2): the subtitles and the history keep
/// the original. Safe to call concurrently (sentences are synthesised in parallel).
/// </summary>
public interface ITranslator
{
    /// <summary>translate_provider, for logs and error frames.</summary>
    string Name { get; }

    /// <summary>Throws <see cref="TranslationException"/> when the service fails; honours cancellation.</summary>
    Task<string> TranslateAsync(string text, CancellationToken cancellationToken);
}

public sealed class TranslationException(string provider, string message, Exception? inner = null)
    : Exception($"{provider}: {message}", inner)
{
    public string Provider { get; } = provider;
}
