using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vtuber.Domain.Config;

/// <summary>Reads the tts_config sections of OLV's engines that run behind a plain HTTP API.</summary>
internal static partial class HttpTtsEngineConfigReader
{
    private static readonly string[] CartesiaModels = ["sonic-3", "sonic-2", "sonic-turbo", "sonic-multilingual", "sonic"];

    // OLV's CartesiaLanguages and CartesiaEmotions literals (config_manager/tts.py).
    private static readonly string[] CartesiaLanguages =
    [
        "en", "fr", "de", "es", "pt", "zh", "ja", "hi", "it", "ko", "nl", "pl", "ru", "sv", "tr", "tl", "bg", "ro",
        "ar", "cs", "el", "fi", "hr", "ms", "sk", "da", "ta", "uk", "hu", "no", "vi", "bn", "th", "he", "ka", "id",
        "te", "gu", "kn", "ml", "mr", "pa",
    ];

    private static readonly string[] CartesiaEmotions =
    [
        "neutral", "angry", "excited", "content", "sad", "scared", "happy", "enthusiastic", "elated", "euphoric",
        "triumphant", "amazed", "surprised", "flirtatious", "joking/comedic", "curious", "peaceful", "serene", "calm",
        "grateful", "affectionate", "trust", "sympathetic", "anticipation", "mysterious", "mad", "outraged",
        "frustrated", "agitated", "threatened", "disgusted", "contempt", "envious", "sarcastic", "ironic", "dejected",
        "melancholic", "disappointed", "hurt", "guilty", "bored", "tired", "rejected", "nostalgic", "wistful",
        "apologetic", "hesitant", "insecure", "confused", "resigned", "anxious", "panicked", "alarmed", "proud",
        "confident", "distant", "skeptical", "contemplative", "determined",
    ];

    public static XTtsConfig ReadXTts(YamlSection s, XTtsConfig d) => new()
    {
        ApiUrl = s.HttpUrl("api_url") ?? d.ApiUrl,
        SpeakerWav = s.NonBlank("speaker_wav", "a speaker name or reference WAV known to the XTTS server") ?? d.SpeakerWav,
        Language = s.NonBlank("language", "a language code such as en or zh") ?? d.Language,
    };

    public static GptSovitsTtsConfig ReadGptSovits(YamlSection s, GptSovitsTtsConfig d) => new()
    {
        ApiUrl = s.HttpUrl("api_url") ?? d.ApiUrl,
        TextLang = s.NonBlank("text_lang", "a GPT-SoVITS language such as zh, en, ja") ?? d.TextLang,
        RefAudioPath = s.String("ref_audio_path") ?? d.RefAudioPath,
        PromptLang = s.NonBlank("prompt_lang", "a GPT-SoVITS language such as zh, en, ja") ?? d.PromptLang,
        PromptText = s.String("prompt_text") ?? d.PromptText,
        TextSplitMethod = s.NonBlank("text_split_method", "a GPT-SoVITS split method such as cut5") ?? d.TextSplitMethod,
        BatchSize = Matching(s, "batch_size", PositiveInteger(), "a positive whole number such as '1'") ?? d.BatchSize,
        MediaType = s.OneOf("media_type", "wav") ?? d.MediaType,
        StreamingMode = s.OneOf("streaming_mode", "true", "false", "True", "False") ?? d.StreamingMode,
    };

    public static FishApiTtsConfig ReadFishApi(YamlSection s, FishApiTtsConfig d) => new()
    {
        ApiKey = s.String("api_key") ?? d.ApiKey,
        // OLV's template leaves it empty; the service then speaks with its default voice.
        ReferenceId = s.String("reference_id") ?? d.ReferenceId,
        Latency = s.OneOf("latency", "normal", "balanced") ?? d.Latency,
        BaseUrl = s.HttpUrl("base_url") ?? d.BaseUrl,
    };

    public static SiliconFlowTtsConfig ReadSiliconFlow(YamlSection s, SiliconFlowTtsConfig d) => new()
    {
        ApiUrl = s.HttpUrl("api_url") ?? d.ApiUrl,
        ApiKey = s.String("api_key") ?? d.ApiKey,
        DefaultModel = s.NonBlank("default_model", "a SiliconFlow model such as FunAudioLLM/CosyVoice2-0.5B") ?? d.DefaultModel,
        DefaultVoice = s.NonBlank("default_voice", "a SiliconFlow voice such as FunAudioLLM/CosyVoice2-0.5B:alex") ?? d.DefaultVoice,
        // The rates SiliconFlow serves for mp3, wav and pcm.
        SampleRate = s.Int("sample_rate", 8000, 48000, "a sample rate 8000..48000 (Hz), e.g. 32000") ?? d.SampleRate,
        ResponseFormat = s.OneOf("response_format", "mp3", "wav", "pcm") ?? d.ResponseFormat,
        Stream = s.Bool("stream") ?? d.Stream,
        Speed = s.Number("speed", 0.25, 4, "a speed 0.25..4") ?? d.Speed,
        Gain = s.Int("gain", -10, 10, "a gain -10..10 (dB)") ?? d.Gain,
    };

    public static MinimaxTtsConfig ReadMinimax(YamlSection s, MinimaxTtsConfig d) => new()
    {
        GroupId = s.String("group_id") ?? d.GroupId,
        ApiKey = s.String("api_key") ?? d.ApiKey,
        Model = s.NonBlank("model", "a MiniMax speech model such as speech-02-turbo") ?? d.Model,
        VoiceId = s.NonBlank("voice_id", "a MiniMax voice id such as female-shaonv") ?? d.VoiceId,
        PronunciationDict = JsonObjectOrEmpty(s, "pronunciation_dict") ?? d.PronunciationDict,
        BaseUrl = s.HttpUrl("base_url") ?? d.BaseUrl,
    };

    public static CartesiaTtsConfig ReadCartesia(YamlSection s, CartesiaTtsConfig d) => new()
    {
        ApiKey = s.String("api_key") ?? d.ApiKey,
        VoiceId = s.NonBlank("voice_id", "a Cartesia voice id") ?? d.VoiceId,
        ModelId = s.OneOf("model_id", CartesiaModels) ?? d.ModelId,
        OutputFormat = s.OneOf("output_format", "wav", "mp3") ?? d.OutputFormat,
        Language = s.OneOf("language", CartesiaLanguages) ?? d.Language,
        Emotion = s.OneOf("emotion", CartesiaEmotions) ?? d.Emotion,
        Volume = s.Number("volume", 0.5, 2.0, "a volume 0.5..2.0") ?? d.Volume,
        Speed = s.Number("speed", 0.6, 1.5, "a speed 0.6..1.5") ?? d.Speed,
        BaseUrl = s.HttpUrl("base_url") ?? d.BaseUrl,
    };

    public static AzureTtsConfig ReadAzure(YamlSection s, AzureTtsConfig d)
    {
        var baseUrl = s.String("base_url");
        return new AzureTtsConfig
        {
            ApiKey = s.String("api_key") ?? d.ApiKey,
            // Part of a host name: letters and digits only, e.g. eastus or westeurope.
            Region = Matching(s, "region", AzureRegion(), "an Azure region such as eastus") ?? d.Region,
            Voice = s.NonBlank("voice", "an Azure neural voice such as en-US-AshleyNeural") ?? d.Voice,
            Pitch = Matching(s, "pitch", SignedNumber(), "a pitch change in percent such as '26' or '-10'") ?? d.Pitch,
            Rate = Matching(s, "rate", PositiveNumber(), "a speaking rate such as '1' or '1.2'") ?? d.Rate,
            BaseUrl = string.IsNullOrEmpty(baseUrl) ? d.BaseUrl : s.HttpUrl("base_url") ?? d.BaseUrl,
        };
    }

    private static string? JsonObjectOrEmpty(YamlSection s, string key)
    {
        var value = s.String(key);
        if (string.IsNullOrWhiteSpace(value)) return value;
        const string expected = """a JSON object such as {"tone": ["测试/(ce4)(shi4)"]}, or empty""";
        try
        {
            using var json = JsonDocument.Parse(value);
            return json.RootElement.ValueKind == JsonValueKind.Object ? value : s.Refuse(key, value, expected);
        }
        catch (JsonException)
        {
            return s.Refuse(key, value, expected);
        }
    }

    private static string? Matching(YamlSection s, string key, Regex form, string expected)
    {
        var value = s.String(key);
        return value is not null && !form.IsMatch(value) ? s.Refuse(key, value, expected) : value;
    }

    [GeneratedRegex(@"^[1-9]\d*$")]
    private static partial Regex PositiveInteger();

    [GeneratedRegex(@"^[a-z0-9]+$")]
    private static partial Regex AzureRegion();

    [GeneratedRegex(@"^[+-]?\d+(\.\d+)?$")]
    private static partial Regex SignedNumber();

    [GeneratedRegex(@"^\d*\.?\d+$")]
    private static partial Regex PositiveNumber();
}
