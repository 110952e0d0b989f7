using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Vtuber.Domain.Config;

namespace Vtuber.Speech.Asr;

/// <summary>
/// pocketsphinx through P/Invoke: the embedded offline engine. A decoder is single-threaded and takes ~1.4 s to
/// create, so decoders are made on first need, kept in a small pool (asr_config.pocketsphinx.decoders) and reused;
/// at most that many utterances are decoded at once, the rest wait their turn (cancellably). Decoding is CPU-bound
/// native work and runs on the thread pool, never on the caller's (actor) thread.
/// </summary>
public sealed class PocketsphinxRecognizer : ISpeechRecognizer, IDisposable
{
    public const string Model = "pocketsphinx";
    // Fed in 0.25 s pieces so a cancelled utterance stops within a fraction of a second.
    private const int FeedSamples = AsrAudio.SampleRate / 4;

    private readonly PocketsphinxAsrConfig _config;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<PocketsphinxNative.DecoderHandle> _idle = [];

    public PocketsphinxRecognizer(PocketsphinxAsrConfig config)
    {
        _config = config;
        _slots = new SemaphoreSlim(config.Decoders, config.Decoders);
    }

    public string Name => Model;

    public async Task<string> TranscribeAsync(ReadOnlyMemory<float> samples16k, CancellationToken cancellationToken)
    {
        var pcm = AsrAudio.ToPcm16(samples16k.Span);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() =>
            {
                var decoder = _idle.TryTake(out var idle) ? idle : CreateDecoder();
                try
                {
                    return Decode(decoder, pcm, cancellationToken);
                }
                finally
                {
                    _idle.Add(decoder); // a cancelled utterance leaves the decoder reusable: ps_start_utt resets it
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var decoder))
        {
            decoder.Dispose();
        }
        _slots.Dispose();
    }

    private static string Decode(PocketsphinxNative.DecoderHandle decoder, short[] pcm, CancellationToken cancellationToken)
    {
        if (PocketsphinxNative.PsStartUtt(decoder) < 0)
        {
            throw new AsrException(Model, "ps_start_utt failed");
        }
        var piece = new short[FeedSamples];
        for (var offset = 0; offset < pcm.Length; offset += FeedSamples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(FeedSamples, pcm.Length - offset);
            Array.Copy(pcm, offset, piece, 0, count);
            if (PocketsphinxNative.PsProcessRaw(decoder, piece, (nuint)count, 0, 0) < 0)
            {
                throw new AsrException(Model, "ps_process_raw failed");
            }
        }
        if (PocketsphinxNative.PsEndUtt(decoder) < 0)
        {
            throw new AsrException(Model, "ps_end_utt failed");
        }
        // The string belongs to the decoder: copy it before the decoder goes back to the pool.
        var hypothesis = PocketsphinxNative.PsGetHyp(decoder, out _);
        return hypothesis == IntPtr.Zero ? "" : (Marshal.PtrToStringUTF8(hypothesis) ?? "").Trim();
    }

    private PocketsphinxNative.DecoderHandle CreateDecoder()
    {
        RequirePath(_config.AcousticModel, "acoustic_model", Directory.Exists);
        RequirePath(_config.Dictionary, "dictionary", File.Exists);
        List<string> arguments = ["-hmm", _config.AcousticModel, "-dict", _config.Dictionary, "-logfn", "/dev/null"];
        if (_config.JsgfGrammar is { } grammar)
        {
            RequirePath(grammar, "jsgf_grammar", File.Exists);
            arguments.AddRange(["-jsgf", grammar]);
        }
        else
        {
            RequirePath(_config.LanguageModel, "language_model", File.Exists);
            arguments.AddRange(["-lm", _config.LanguageModel]);
        }

        IntPtr commandLine;
        try
        {
            commandLine = PocketsphinxNative.CmdLnParseR(IntPtr.Zero, PocketsphinxNative.PsArgs(), arguments.Count,
                [.. arguments], 1);
        }
        catch (DllNotFoundException e)
        {
            throw new AsrException(Model, $"{PocketsphinxNative.PocketsphinxLibrary} is not installed " +
                                          "(Debian/Ubuntu: apt-get install pocketsphinx pocketsphinx-en-us)", e);
        }
        if (commandLine == IntPtr.Zero)
        {
            throw new AsrException(Model, $"pocketsphinx refused its arguments: {string.Join(' ', arguments)}");
        }
        try
        {
            var decoder = PocketsphinxNative.PsInit(commandLine);
            if (decoder.IsInvalid)
            {
                decoder.Dispose();
                throw new AsrException(Model, "ps_init could not load the model " +
                                              $"({string.Join(' ', arguments)}); is the grammar valid JSGF?");
            }
            return decoder;
        }
        finally
        {
            _ = PocketsphinxNative.CmdLnFreeR(commandLine); // returns the references left: ps_init keeps its own
        }
    }

    private static void RequirePath(string path, string key, Func<string, bool> exists)
    {
        if (!exists(path))
        {
            throw new AsrException(Model, $"asr_config.pocketsphinx.{key} '{path}' does not exist " +
                                          "(the Debian package pocketsphinx-en-us installs the default model)");
        }
    }
}
