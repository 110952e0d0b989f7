using System.Runtime.InteropServices;
using Vtuber.Domain.Config;

namespace Vtuber.Speech.Asr;

/// <summary>
/// OLV's sherpa_onnx_asr keys → the C API's recognizer config, with the values OLV's Python calls leave at their
/// defaults (sherpa_onnx.OfflineRecognizer.from_*: 16 kHz, 80-dim features, greedy search; tdnn_ctc: 8 kHz, 23-dim;
/// whisper: task "transcribe").
/// </summary>
internal static class SherpaOnnxConfigMapping
{
    public static SherpaOnnxNative.OfflineRecognizerConfig ToNative(SherpaOnnxAsrConfig c, NativeStrings s)
    {
        var native = new SherpaOnnxNative.OfflineRecognizerConfig
        {
            FeatConfig = c.ModelType == "tdnn_ctc"
                ? new SherpaOnnxNative.FeatureConfig { SampleRate = 8000, FeatureDim = 23 }
                : new SherpaOnnxNative.FeatureConfig { SampleRate = 16000, FeatureDim = 80 },
            DecodingMethod = s.Add("greedy_search"),
            MaxActivePaths = 4,
        };
        ref var model = ref native.ModelConfig;
        model.Tokens = s.Add(c.Tokens);
        model.NumThreads = c.NumThreads;
        model.Provider = s.Add(c.Provider);
        switch (c.ModelType)
        {
            case "transducer":
                model.Transducer = new() { Encoder = s.Add(c.Encoder), Decoder = s.Add(c.Decoder), Joiner = s.Add(c.Joiner) };
                break;
            case "paraformer":
                model.Paraformer.Model = s.Add(c.Paraformer);
                break;
            case "nemo_ctc":
                model.NemoCtc.Model = s.Add(c.NemoCtc);
                break;
            case "wenet_ctc":
                model.WenetCtc.Model = s.Add(c.WenetCtc);
                break;
            case "whisper":
                model.Whisper = new()
                {
                    Encoder = s.Add(c.WhisperEncoder), Decoder = s.Add(c.WhisperDecoder), Language = s.Add(""),
                    Task = s.Add("transcribe"), TailPaddings = -1,
                };
                break;
            case "tdnn_ctc":
                model.Tdnn.Model = s.Add(c.TdnnModel);
                break;
            case "sense_voice":
                model.SenseVoice = new() { Model = s.Add(c.SenseVoice), Language = s.Add(""), UseItn = c.UseItn ? 1 : 0 };
                break;
            case "fire_red_asr":
                model.FireRedAsr = new() { Encoder = s.Add(c.FireRedAsrEncoder), Decoder = s.Add(c.FireRedAsrDecoder) };
                break;
            default:
                throw new AsrException(AsrEngineFactory.SherpaOnnx,
                    $"model_type '{c.ModelType}' is not one of {string.Join(", ", SherpaOnnxModelFiles.ModelTypes)}");
        }
        return native;
    }
}

/// <summary>UTF-8 copies of the config's strings, alive until the native call that reads them has returned.</summary>
internal sealed class NativeStrings : IDisposable
{
    private readonly List<IntPtr> _allocated = [];

    /// <summary>A null string stays a null pointer: the C API then uses its own default.</summary>
    public IntPtr Add(string? value)
    {
        if (value is null)
        {
            return IntPtr.Zero;
        }
        var pointer = Marshal.StringToCoTaskMemUTF8(value);
        _allocated.Add(pointer);
        return pointer;
    }

    public void Dispose()
    {
        foreach (var pointer in _allocated)
        {
            Marshal.FreeCoTaskMem(pointer);
        }
        _allocated.Clear();
    }
}
