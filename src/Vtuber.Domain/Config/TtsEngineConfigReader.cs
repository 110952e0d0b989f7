using System.Text.RegularExpressions;

namespace Vtuber.Domain.Config;

/// <summary>Reads the tts_config sections of the engines added after openai_tts, and post_processing.</summary>
internal static partial class TtsEngineConfigReader
{
    public static EdgeTtsConfig ReadEdgeTts(YamlSection s, EdgeTtsConfig d) => new()
    {
        Voice = s.NonBlank("voice", "an Edge voice name such as en-US-AvaMultilingualNeural") ?? d.Voice,
        // The forms edge-tts itself accepts; anything else makes the service close the socket without audio.
        Rate = Matching(s, "rate", SignedPercent(), "a signed percentage such as +0% or -10%") ?? d.Rate,
        Pitch = Matching(s, "pitch", SignedHertz(), "a signed frequency such as +0Hz or -5Hz") ?? d.Pitch,
        Volume = Matching(s, "volume", SignedPercent(), "a signed percentage such as +0% or +20%") ?? d.Volume,
        BaseUrl = s.Url("base_url", ["ws", "wss"], "an absolute ws(s) URL") ?? d.BaseUrl,
    };

    public static ElevenLabsTtsConfig ReadElevenLabsTts(YamlSection s, ElevenLabsTtsConfig d) => new()
    {
        ApiKey = s.String("api_key") ?? d.ApiKey,
        VoiceId = s.NonBlank("voice_id", "an ElevenLabs voice id") ?? d.VoiceId,
        ModelId = s.NonBlank("model_id", "an ElevenLabs model id such as eleven_multilingual_v2") ?? d.ModelId,
        OutputFormat = Matching(s, "output_format", ElevenLabsFormat(),
            "mp3_<rate>_<kbps>, pcm_<rate> or wav_<rate>, e.g. mp3_44100_128 or pcm_16000") ?? d.OutputFormat,
        Stability = s.Number("stability", 0, 1, "a number 0..1") ?? d.Stability,
        SimilarityBoost = s.Number("similarity_boost", 0, 1, "a number 0..1") ?? d.SimilarityBoost,
        Style = s.Number("style", 0, 1, "a number 0..1") ?? d.Style,
        UseSpeakerBoost = s.Bool("use_speaker_boost") ?? d.UseSpeakerBoost,
        BaseUrl = s.HttpUrl("base_url") ?? d.BaseUrl,
    };

    public static PiperTtsConfig ReadPiperTts(YamlSection s, PiperTtsConfig d)
    {
        s.Ignore("use_cuda");
        var modelPath = s.String("model_path");
        return new PiperTtsConfig
        {
            // Relative to the config file's folder, like every other path in it (OLV: its working folder, which
            // is where conf.yaml lives).
            ModelPath = string.IsNullOrWhiteSpace(modelPath)
                ? d.ModelPath
                : Path.GetFullPath(modelPath, Path.GetDirectoryName(s.File)!),
            SpeakerId = s.Int("speaker_id", 0, int.MaxValue, "a speaker number ≥ 0") ?? d.SpeakerId,
            LengthScale = s.Number("length_scale", double.Epsilon, 100, "a positive number (1.0 = normal speed)")
                          ?? d.LengthScale,
            NoiseScale = s.Number("noise_scale", 0, 10, "a number 0..10") ?? d.NoiseScale,
            NoiseW = s.Number("noise_w", 0, 10, "a number 0..10") ?? d.NoiseW,
            Volume = s.Number("volume", 0, 10, "a gain 0..10 (1.0 = unchanged)") ?? d.Volume,
            NormalizeAudio = s.Bool("normalize_audio") ?? d.NormalizeAudio,
            EspeakExecutable = s.NonBlank("espeak_executable", "the espeak-ng program name or path")
                               ?? d.EspeakExecutable,
        };
    }

    public static FliteTtsConfig ReadFlite(YamlSection s, FliteTtsConfig d) => new()
    {
        Voice = s.NonBlank("voice", "a flite voice (kal, kal16, awb, rms, slt) or a .flitevox file") ?? d.Voice,
        Executable = s.NonBlank("executable", "the flite program name or path") ?? d.Executable,
    };

    public static TtsPostProcessingConfig ReadPostProcessing(YamlSection s, TtsPostProcessingConfig d) => new()
    {
        SampleRate = s.Int("sample_rate", 8000, 192000, "a sample rate 8000..192000 (Hz)") ?? d.SampleRate,
        NormalizeDbfs = s.Number("normalize_dbfs", -60, 0, "a peak level -60..0 (dBFS)") ?? d.NormalizeDbfs,
        TrimSilence = s.Bool("trim_silence") ?? d.TrimSilence,
        TrimThresholdDbfs = s.Number("trim_threshold_dbfs", -120, 0, "a level -120..0 (dBFS)") ?? d.TrimThresholdDbfs,
        TrimKeepMs = s.Int("trim_keep_ms", 0, 10000, "milliseconds 0..10000") ?? d.TrimKeepMs,
    };

    private static string? Matching(YamlSection s, string key, Regex form, string expected)
    {
        var value = s.String(key);
        return value is not null && !form.IsMatch(value) ? s.Refuse(key, value, expected) : value;
    }

    [GeneratedRegex(@"^[+-]\d+%$")]
    private static partial Regex SignedPercent();

    [GeneratedRegex(@"^[+-]\d+Hz$")]
    private static partial Regex SignedHertz();

    [GeneratedRegex(@"^(mp3_\d+_\d+|pcm_\d+|wav_\d+)$")]
    private static partial Regex ElevenLabsFormat();
}
