using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

// The tests check the struct layout against the shipped library's offsets.
[assembly: InternalsVisibleTo("Vtuber.Speech.Tests")]

namespace Vtuber.Speech.Asr;

/// <summary>
/// The offline (non-streaming) recognizer of the sherpa-onnx C API, version 1.13.8 (c-api.h), as shipped by the npm
/// package sherpa-onnx-linux-x64. The library name is resolved by <see cref="SherpaOnnxLibrary"/> to its own folder.
/// </summary>
internal static class SherpaOnnxNative
{
    public const string Library = "sherpa-onnx-c-api";

    static SherpaOnnxNative() => SherpaOnnxLibrary.InstallResolver(typeof(SherpaOnnxNative).Assembly);

    [DllImport(Library, EntryPoint = "SherpaOnnxGetVersionStr")]
    public static extern IntPtr GetVersionStr();

    [DllImport(Library, EntryPoint = "SherpaOnnxGetGitSha1")]
    public static extern IntPtr GetGitSha1();

    [DllImport(Library, EntryPoint = "SherpaOnnxCreateOfflineRecognizer")]
    public static extern RecognizerHandle CreateOfflineRecognizer(in OfflineRecognizerConfig config);

    [DllImport(Library, EntryPoint = "SherpaOnnxDestroyOfflineRecognizer")]
    public static extern void DestroyOfflineRecognizer(IntPtr recognizer);

    [DllImport(Library, EntryPoint = "SherpaOnnxCreateOfflineStream")]
    public static extern StreamHandle CreateOfflineStream(RecognizerHandle recognizer);

    [DllImport(Library, EntryPoint = "SherpaOnnxDestroyOfflineStream")]
    public static extern void DestroyOfflineStream(IntPtr stream);

    [DllImport(Library, EntryPoint = "SherpaOnnxAcceptWaveformOffline")]
    public static extern void AcceptWaveformOffline(StreamHandle stream, int sampleRate, float[] samples, int n);

    [DllImport(Library, EntryPoint = "SherpaOnnxDecodeOfflineStream")]
    public static extern void DecodeOfflineStream(RecognizerHandle recognizer, StreamHandle stream);

    /// <summary>A SherpaOnnxOfflineRecognizerResult*; its first field is <c>const char *text</c>.</summary>
    [DllImport(Library, EntryPoint = "SherpaOnnxGetOfflineStreamResult")]
    public static extern IntPtr GetOfflineStreamResult(StreamHandle stream);

    [DllImport(Library, EntryPoint = "SherpaOnnxDestroyOfflineRecognizerResult")]
    public static extern void DestroyOfflineRecognizerResult(IntPtr result);

    public sealed class RecognizerHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            DestroyOfflineRecognizer(handle);
            return true;
        }
    }

    public sealed class StreamHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            DestroyOfflineStream(handle);
            return true;
        }
    }

    // The structs below mirror c-api.h of 1.13.8 field by field, including the model families we never fill: the
    // recognizer config is one flat block, so every member before lm_config must be there for the rest to land right.
    // Strings are UTF-8 pointers (null = the library's default). The layout (608 bytes; hr.rule_fsts at 600) is the
    // one SherpaOnnxCreateOfflineRecognizer of the shipped library reads (its highest config offset is 600), and the
    // field order matches the wasm mirror in the npm package sherpa-onnx@1.13.8 (sherpa-onnx-asr.js).

    [StructLayout(LayoutKind.Sequential)]
    public struct FeatureConfig { public int SampleRate; public int FeatureDim; }

    [StructLayout(LayoutKind.Sequential)]
    public struct TransducerModelConfig { public IntPtr Encoder; public IntPtr Decoder; public IntPtr Joiner; }

    /// <summary>paraformer, nemo_ctc, tdnn, dolphin, zipformer_ctc, wenet_ctc, omnilingual, medasr, fire_red_asr_ctc.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SingleModelConfig { public IntPtr Model; }

    [StructLayout(LayoutKind.Sequential)]
    public struct WhisperModelConfig
    {
        public IntPtr Encoder; public IntPtr Decoder; public IntPtr Language; public IntPtr Task;
        public int TailPaddings; public int EnableTokenTimestamps; public int EnableSegmentTimestamps;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SenseVoiceModelConfig { public IntPtr Model; public IntPtr Language; public int UseItn; }

    [StructLayout(LayoutKind.Sequential)]
    public struct MoonshineModelConfig
    {
        public IntPtr Preprocessor; public IntPtr Encoder; public IntPtr UncachedDecoder; public IntPtr CachedDecoder;
        public IntPtr MergedDecoder;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct EncoderDecoderModelConfig { public IntPtr Encoder; public IntPtr Decoder; }

    [StructLayout(LayoutKind.Sequential)]
    public struct CanaryModelConfig
    {
        public IntPtr Encoder; public IntPtr Decoder; public IntPtr SrcLang; public IntPtr TgtLang; public int UsePnc;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct FunAsrNanoModelConfig
    {
        public IntPtr EncoderAdaptor; public IntPtr Llm; public IntPtr Embedding; public IntPtr Tokenizer;
        public IntPtr SystemPrompt; public IntPtr UserPrompt; public int MaxNewTokens; public float Temperature;
        public float TopP; public int Seed; public IntPtr Language; public int Itn; public IntPtr Hotwords;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Qwen3AsrModelConfig
    {
        public IntPtr ConvFrontend; public IntPtr Encoder; public IntPtr Decoder; public IntPtr Tokenizer;
        public int MaxTotalLen; public int MaxNewTokens; public float Temperature; public float TopP; public int Seed;
        public IntPtr Hotwords;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CohereTranscribeModelConfig
    {
        public IntPtr Encoder; public IntPtr Decoder; public IntPtr Language; public int UsePunct; public int UseItn;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct OfflineModelConfig
    {
        public TransducerModelConfig Transducer;
        public SingleModelConfig Paraformer;
        public SingleModelConfig NemoCtc;
        public WhisperModelConfig Whisper;
        public SingleModelConfig Tdnn;
        public IntPtr Tokens;
        public int NumThreads;
        public int Debug;
        public IntPtr Provider;
        public IntPtr ModelType;
        public IntPtr ModelingUnit;
        public IntPtr BpeVocab;
        public IntPtr TeleSpeechCtc;
        public SenseVoiceModelConfig SenseVoice;
        public MoonshineModelConfig Moonshine;
        public EncoderDecoderModelConfig FireRedAsr;
        public SingleModelConfig Dolphin;
        public SingleModelConfig ZipformerCtc;
        public CanaryModelConfig Canary;
        public SingleModelConfig WenetCtc;
        public SingleModelConfig Omnilingual;
        public SingleModelConfig MedAsr;
        public FunAsrNanoModelConfig FunAsrNano;
        public SingleModelConfig FireRedAsrCtc;
        public Qwen3AsrModelConfig Qwen3Asr;
        public CohereTranscribeModelConfig CohereTranscribe;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct LmConfig { public IntPtr Model; public float Scale; }

    [StructLayout(LayoutKind.Sequential)]
    public struct HomophoneReplacerConfig { public IntPtr DictDir; public IntPtr Lexicon; public IntPtr RuleFsts; }

    [StructLayout(LayoutKind.Sequential)]
    public struct OfflineRecognizerConfig
    {
        public FeatureConfig FeatConfig;
        public OfflineModelConfig ModelConfig;
        public LmConfig LmConfig;
        public IntPtr DecodingMethod;
        public int MaxActivePaths;
        public IntPtr HotwordsFile;
        public float HotwordsScore;
        public IntPtr RuleFsts;
        public IntPtr RuleFars;
        public float BlankPenalty;
        public HomophoneReplacerConfig Hr;
    }
}
