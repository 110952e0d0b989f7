namespace Vtuber.Domain.Config;

/// <summary>Reads character_config.asr_config and system_config.voice (see AsrConfig.cs).</summary>
internal static class AsrConfigReader
{
    // OLV engines we accept in a file but do not run: choosing one leaves voice input unavailable (with a reason).
    // OLV engines that exist only as in-process Python: selecting one leaves voice input off (text works), and the
    // start-up warning names the engine here that comes closest.
    private static readonly Dictionary<string, string> PythonOnlyEngines = new(StringComparer.Ordinal)
    {
        ["faster_whisper"] = "whisper_cpp (the same Whisper models as ggml files) or openai_whisper (a faster-whisper server)",
        ["whisper"] = "whisper_cpp",
        ["fun_asr"] = "sherpa_onnx_asr (model_type sense_voice runs SenseVoiceSmall)",
    };

    private static readonly string[] OtherOlvEngines = [.. PythonOnlyEngines.Keys];

    public static AsrConfig ReadAsr(YamlSection s, AsrConfig d)
    {
        s.Ignore(OtherOlvEngines);
        var baseDir = System.IO.Path.GetDirectoryName(s.File)!;
        var model = s.String("asr_model") ?? d.AsrModel;
        if (PythonOnlyEngines.TryGetValue(model, out var closest))
            s.Warn("asr_model", $"'{model}' runs only inside Open-LLM-VTuber's Python; voice input is off, text chat " +
                                $"works (closest here: {closest})");
        YamlSection Engine(string key) => s.Section(key, key == model, $"asr_model is '{model}'");
        return new AsrConfig
        {
            AsrModel = model,
            Pocketsphinx = ReadPocketsphinx(Engine("pocketsphinx"), d.Pocketsphinx, baseDir),
            WhisperCpp = ReadWhisperCpp(Engine("whisper_cpp"), d.WhisperCpp, baseDir),
            SherpaOnnxAsr = ReadSherpaOnnx(Engine("sherpa_onnx_asr"), d.SherpaOnnxAsr, baseDir),
            OpenAiWhisper = ReadOpenAiWhisper(Engine("openai_whisper"), d.OpenAiWhisper),
            GroqWhisperAsr = ReadGroq(Engine("groq_whisper_asr"), d.GroqWhisperAsr),
            AzureAsr = ReadAzure(Engine("azure_asr"), d.AzureAsr),
        };
    }

    public static VoiceOptions ReadVoice(YamlSection s)
    {
        var d = new VoiceOptions();
        return new VoiceOptions
        {
            MaxUtteranceSeconds = s.Number("max_utterance_seconds", 0.1, 3600, "a number of seconds 0.1..3600")
                                  ?? d.MaxUtteranceSeconds,
        };
    }

    private static PocketsphinxAsrConfig ReadPocketsphinx(YamlSection s, PocketsphinxAsrConfig d, string baseDir) => new()
    {
        AcousticModel = PathValue(s, "acoustic_model", baseDir) ?? d.AcousticModel,
        Dictionary = PathValue(s, "dictionary", baseDir) ?? d.Dictionary,
        LanguageModel = PathValue(s, "language_model", baseDir) ?? d.LanguageModel,
        JsgfGrammar = PathValue(s, "jsgf_grammar", baseDir) ?? d.JsgfGrammar,
        Decoders = s.Int("decoders", 1, 64, "an integer 1..64") ?? d.Decoders,
    };

    private static WhisperCppAsrConfig ReadWhisperCpp(YamlSection s, WhisperCppAsrConfig d, string baseDir)
    {
        s.Ignore("print_realtime", "print_progress"); // pywhispercpp console output; nothing to print here
        return new WhisperCppAsrConfig
        {
            ModelName = s.String("model_name") ?? d.ModelName,
            ModelDir = PathValue(s, "model_dir", baseDir) ?? d.ModelDir,
            Language = s.String("language") ?? d.Language,
            Prompt = s.String("prompt") ?? d.Prompt,
        };
    }

    private static SherpaOnnxAsrConfig ReadSherpaOnnx(YamlSection s, SherpaOnnxAsrConfig d, string baseDir) => new()
    {
        ModelType = s.String("model_type") ?? d.ModelType,
        Encoder = PathValue(s, "encoder", baseDir) ?? d.Encoder,
        Decoder = PathValue(s, "decoder", baseDir) ?? d.Decoder,
        Joiner = PathValue(s, "joiner", baseDir) ?? d.Joiner,
        Paraformer = PathValue(s, "paraformer", baseDir) ?? d.Paraformer,
        NemoCtc = PathValue(s, "nemo_ctc", baseDir) ?? d.NemoCtc,
        WenetCtc = PathValue(s, "wenet_ctc", baseDir) ?? d.WenetCtc,
        TdnnModel = PathValue(s, "tdnn_model", baseDir) ?? d.TdnnModel,
        WhisperEncoder = PathValue(s, "whisper_encoder", baseDir) ?? d.WhisperEncoder,
        WhisperDecoder = PathValue(s, "whisper_decoder", baseDir) ?? d.WhisperDecoder,
        SenseVoice = PathValue(s, "sense_voice", baseDir) ?? d.SenseVoice,
        FireRedAsrEncoder = PathValue(s, "fire_red_asr_encoder", baseDir) ?? d.FireRedAsrEncoder,
        FireRedAsrDecoder = PathValue(s, "fire_red_asr_decoder", baseDir) ?? d.FireRedAsrDecoder,
        Tokens = PathValue(s, "tokens", baseDir) ?? d.Tokens,
        NumThreads = s.Int("num_threads", 1, 256, "an integer 1..256") ?? d.NumThreads,
        UseItn = s.Bool("use_itn") ?? d.UseItn,
        Provider = s.OneOf("provider", "cpu", "cuda", "rocm") ?? d.Provider,
    };

    private static OpenAiWhisperAsrConfig ReadOpenAiWhisper(YamlSection s, OpenAiWhisperAsrConfig d) => new()
    {
        BaseUrl = s.HttpUrl("base_url") ?? d.BaseUrl,
        ApiKey = s.String("api_key") ?? d.ApiKey,
        Model = s.String("model") ?? d.Model,
        Language = s.String("language") ?? d.Language,
        Prompt = s.String("prompt") ?? d.Prompt,
    };

    private static GroqWhisperAsrConfig ReadGroq(YamlSection s, GroqWhisperAsrConfig d) => new()
    {
        BaseUrl = s.HttpUrl("base_url") ?? d.BaseUrl,
        ApiKey = s.String("api_key") ?? d.ApiKey,
        Model = s.String("model") ?? d.Model,
        Lang = s.String("lang") ?? d.Lang,
    };

    private static AzureAsrConfig ReadAzure(YamlSection s, AzureAsrConfig d)
    {
        var config = new AzureAsrConfig
        {
            ApiKey = s.String("api_key") ?? d.ApiKey,
            Region = s.NonBlank("region", "an Azure region such as eastus") ?? d.Region,
            Languages = s.StringList("languages") is { Count: > 0 } languages ? languages : d.Languages,
            BaseUrl = s.HttpUrl("base_url") ?? d.BaseUrl,
        };
        // OLV refuses to start without a key; only when azure_asr is the engine that listens.
        if (!s.IsLenient && string.IsNullOrWhiteSpace(config.ApiKey))
            s.Refuse("api_key", config.ApiKey, "an Azure Speech resource key");
        return config;
    }

    /// <summary>A path resolved against the config's folder; blank means "not given" (OLV templates leave '' in).</summary>
    private static string? PathValue(YamlSection s, string key, string baseDir) =>
        s.String(key) is { } value && !string.IsNullOrWhiteSpace(value) ? System.IO.Path.GetFullPath(value, baseDir) : null;
}
