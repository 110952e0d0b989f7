using System.Text;
using Whisper.net;

namespace Vtuber.Speech.Asr;

/// <summary>
/// whisper_cpp through Whisper.net (whisper.cpp's native runtime from the Whisper.net.Runtime package). The ggml
/// model is loaded on the first utterance (Whisper.net loads lazily; a bad file fails there with a clear error) and
/// kept. One processor decodes one utterance at a time: whisper.cpp already uses every core for one utterance, so
/// running two at once would only make both slower.
/// </summary>
public sealed class WhisperCppRecognizer(string modelPath, string language, string prompt) : ISpeechRecognizer, IDisposable
{
    public const string Model = "whisper_cpp";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private WhisperFactory? _factory;
    private WhisperProcessor? _processor;

    public string Name => Model;

    public string ModelPath => modelPath;

    public async Task<string> TranscribeAsync(ReadOnlyMemory<float> samples16k, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Off the caller's thread: loading and the native decode are long CPU-bound calls.
            return await Task.Run(async () =>
            {
                var processor = _processor ??= Load();
                var text = new StringBuilder();
                await foreach (var segment in processor.ProcessAsync(samples16k, cancellationToken).ConfigureAwait(false))
                {
                    text.Append(segment.Text);
                }
                return text.ToString().Trim();
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _processor?.Dispose();
        _factory?.Dispose();
        _gate.Dispose();
    }

    private WhisperProcessor Load()
    {
        try
        {
            _factory ??= WhisperFactory.FromPath(modelPath);
            var builder = _factory.CreateBuilder().WithLanguage(language);
            if (prompt.Length > 0)
            {
                builder = builder.WithPrompt(prompt);
            }
            return builder.Build();
        }
        catch (Exception e) when (e is WhisperModelLoadException or DllNotFoundException or EntryPointNotFoundException)
        {
            throw new AsrException(Model, $"cannot load the ggml model '{modelPath}': {e.Message}", e);
        }
    }
}
