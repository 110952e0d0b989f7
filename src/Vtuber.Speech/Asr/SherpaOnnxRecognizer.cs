using System.Runtime.InteropServices;
using Vtuber.Domain.Config;

namespace Vtuber.Speech.Asr;

/// <summary>
/// sherpa_onnx_asr through the sherpa-onnx C API: an offline recognizer built from OLV's keys (as OLV's
/// sherpa_onnx_asr.py calls OfflineRecognizer.from_sense_voice, from_paraformer, ...), one offline stream per
/// utterance. The model is loaded on the first utterance (it takes seconds, and a switch-config must not wait for it)
/// and kept; a load failure is an <see cref="AsrException"/> on that utterance and is retried on the next. One
/// utterance is decoded at a time: num_threads already spreads one decode over the cores.
/// </summary>
public sealed class SherpaOnnxRecognizer(SherpaOnnxAsrConfig config) : ISpeechRecognizer, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SherpaOnnxNative.RecognizerHandle? _recognizer;

    public string Name => AsrEngineFactory.SherpaOnnx;

    public async Task<string> TranscribeAsync(ReadOnlyMemory<float> samples16k, CancellationToken cancellationToken)
    {
        var samples = samples16k.ToArray();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Off the caller's thread: loading and decoding are long native calls (not interruptible once started).
            return await Task.Run(() =>
            {
                var recognizer = _recognizer ??= Load(config);
                cancellationToken.ThrowIfCancellationRequested();
                return Decode(recognizer, samples);
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _recognizer?.Dispose();
        _gate.Dispose();
    }

    /// <summary>
    /// Checks the model in a child process (a bad model file aborts the process that loads it, see
    /// <see cref="SherpaOnnxProbe"/>), then creates the native recognizer here. An <see cref="AsrException"/> says why not.
    /// </summary>
    private static SherpaOnnxNative.RecognizerHandle Load(SherpaOnnxAsrConfig config)
    {
        if (SherpaOnnxModelFiles.Problem(config) is { } problem)
        {
            throw new AsrException(AsrEngineFactory.SherpaOnnx, problem);
        }
        SherpaOnnxLibrary.RequireSetUp();
        if (SherpaOnnxProbe.Problem(config) is { } probeProblem)
        {
            throw new AsrException(AsrEngineFactory.SherpaOnnx,
                $"the model_type '{config.ModelType}' model cannot be loaded ({ModelFileList(config)}): {probeProblem}");
        }
        return CreateNative(config);
    }

    /// <summary>The native recognizer, created in this process: only for a model the probe has loaded.</summary>
    internal static SherpaOnnxNative.RecognizerHandle CreateNative(SherpaOnnxAsrConfig config)
    {
        using var strings = new NativeStrings();
        var native = SherpaOnnxConfigMapping.ToNative(config, strings);
        SherpaOnnxNative.RecognizerHandle recognizer;
        try
        {
            recognizer = SherpaOnnxNative.CreateOfflineRecognizer(in native);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new AsrException(AsrEngineFactory.SherpaOnnx,
                $"cannot load {SherpaOnnxLibrary.FileName} from {SherpaOnnxLibrary.Folder}: {e.Message} " +
                $"(run {SherpaOnnxLibrary.SetUpCommand} again)", e);
        }
        if (recognizer.IsInvalid)
        {
            recognizer.Dispose();
            throw new AsrException(AsrEngineFactory.SherpaOnnx,
                $"sherpa-onnx refused the model_type '{config.ModelType}' model ({ModelFileList(config)}): its log on stderr says why");
        }
        return recognizer;
    }

    private static string ModelFileList(SherpaOnnxAsrConfig config) =>
        string.Join(", ", SherpaOnnxModelFiles.Required(config).Select(f => $"{f.Key} '{f.Path}'"));

    private static string Decode(SherpaOnnxNative.RecognizerHandle recognizer, float[] samples)
    {
        using var stream = SherpaOnnxNative.CreateOfflineStream(recognizer);
        if (stream.IsInvalid)
        {
            throw new AsrException(AsrEngineFactory.SherpaOnnx, "SherpaOnnxCreateOfflineStream failed");
        }
        SherpaOnnxNative.AcceptWaveformOffline(stream, AsrAudio.SampleRate, samples, samples.Length);
        SherpaOnnxNative.DecodeOfflineStream(recognizer, stream);
        var result = SherpaOnnxNative.GetOfflineStreamResult(stream);
        if (result == IntPtr.Zero)
        {
            throw new AsrException(AsrEngineFactory.SherpaOnnx, "SherpaOnnxGetOfflineStreamResult returned nothing");
        }
        try
        {
            var text = Marshal.ReadIntPtr(result); // result->text, owned by the result
            return text == IntPtr.Zero ? "" : (Marshal.PtrToStringUTF8(text) ?? "").Trim();
        }
        finally
        {
            SherpaOnnxNative.DestroyOfflineRecognizerResult(result);
        }
    }
}
