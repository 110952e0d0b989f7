using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Tts.Piper;

namespace Vtuber.Speech.Tts;

/// <summary>
/// Builds the engine named by character_config.tts_config.tts_model; one instance serves every session. When
/// tts_config.post_processing switches anything on, the engine is wrapped so every sentence passes through it.
/// </summary>
public static class TtsEngineFactory
{
    private const string TtsConfigPath = "character_config.tts_config";
    private static readonly string[] AudioFormats = ["mp3", "wav"];

    public static IReadOnlyList<string> Models { get; } =
    [
        EspeakNgTts.Model, OpenAiTts.Model, EdgeTts.Model, ElevenLabsTts.Model, PiperTts.Model, FliteTts.Model,
        XTts.Model, GptSovitsTts.Model, FishApiTts.Model, SiliconFlowTts.Model, MinimaxTts.Model, CartesiaTts.Model,
        AzureTts.Model, CosyVoiceTts.Model, CosyVoiceTts.Model2, SparkTts.Model, Pyttsx3Model,
    ];

    /// <summary>OLV's pyttsx3_tts: on Linux pyttsx3 speaks through espeak(-ng), so the espeak_ng engine stands in.</summary>
    public const string Pyttsx3Model = "pyttsx3_tts";

    /// <summary>flite's built-in voices, for checking a config without running flite (Create asks flite itself).</summary>
    private static readonly string[] FliteBuiltInVoices = ["kal", "kal16", "awb", "rms", "slt"];

    /// <summary>
    /// What <see cref="Create"/> would refuse, found by cheap probes only (POST /api/config/validate): no engine is
    /// built, no program run, no model loaded, nothing sent over the network.
    /// </summary>
    /// <exception cref="ConfigException">The selected engine's settings cannot work.</exception>
    public static void Check(TtsConfig config, string configFile)
    {
        ArgumentNullException.ThrowIfNull(config);
        switch (config.TtsModel)
        {
            case OpenAiTts.Model:
                CheckOpenAiTts(config.OpenAiTts, configFile);
                break;
            case PiperTts.Model:
                CheckPiper(config.PiperTts, configFile, PiperTts.CheckFiles);
                break;
            case FliteTts.Model:
                CheckFliteVoice(config.Flite, FliteBuiltInVoices, configFile);
                break;
            case CosyVoiceTts.Model or CosyVoiceTts.Model2 or SparkTts.Model:
                CheckReferenceAudio(config, configFile);
                break;
            case var model when !Models.Contains(model):
                throw UnknownEngine(config, configFile);
        }
    }

    public static ITtsEngine Create(TtsConfig config, HttpClient http, string configFile)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(http);
        ITtsEngine engine = config.TtsModel switch
        {
            EspeakNgTts.Model => new EspeakNgTts(config.EspeakNg),
            OpenAiTts.Model => CreateOpenAiTts(config.OpenAiTts, http, configFile),
            EdgeTts.Model => new EdgeTts(config.EdgeTts),
            ElevenLabsTts.Model => new ElevenLabsTts(config.ElevenLabsTts, http),
            PiperTts.Model => CreatePiperTts(config.PiperTts, configFile),
            FliteTts.Model => CreateFliteTts(config.Flite, configFile),
            XTts.Model => new XTts(config.XTts, http),
            GptSovitsTts.Model => new GptSovitsTts(config.GptSovitsTts, http),
            FishApiTts.Model => new FishApiTts(config.FishApiTts, http),
            SiliconFlowTts.Model => new SiliconFlowTts(config.SiliconFlowTts, http),
            MinimaxTts.Model => new MinimaxTts(config.MinimaxTts, http),
            CartesiaTts.Model => new CartesiaTts(config.CartesiaTts, http),
            AzureTts.Model => new AzureTts(config.AzureTts, http),
            CosyVoiceTts.Model => new CosyVoiceTts(CheckReferenceAudio(config, configFile).CosyVoiceTts, http, version2: false),
            CosyVoiceTts.Model2 => new CosyVoiceTts(CheckReferenceAudio(config, configFile).CosyVoice2Tts, http, version2: true),
            SparkTts.Model => new SparkTts(CheckReferenceAudio(config, configFile).SparkTts, http),
            Pyttsx3Model => new EspeakNgTts(config.EspeakNg),
            _ => throw UnknownEngine(config, configFile),
        };
        var postProcessor = new AudioPostProcessor(config.PostProcessing);
        return postProcessor.IsActive ? new PostProcessedTts(engine, postProcessor) : engine;
    }

    private static ConfigException UnknownEngine(TtsConfig config, string configFile) =>
        new(configFile, $"{TtsConfigPath}.tts_model", config.TtsModel, $"one of: {string.Join(", ", Models)}");

    private static OpenAiTts CreateOpenAiTts(OpenAiTtsConfig config, HttpClient http, string configFile)
    {
        CheckOpenAiTts(config, configFile);
        return new OpenAiTts(config, http);
    }

    private static void CheckOpenAiTts(OpenAiTtsConfig config, string configFile)
    {
        if (!Uri.TryCreate(config.BaseUrl, UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            throw new ConfigException(configFile, $"{TtsConfigPath}.openai_tts.base_url", config.BaseUrl,
                "an absolute http(s) URL such as http://localhost:8880/v1");
        if (!AudioFormats.Contains(config.FileExtension))
            throw new ConfigException(configFile, $"{TtsConfigPath}.openai_tts.file_extension", config.FileExtension,
                $"one of: {string.Join(", ", AudioFormats)}");
    }

    // The model is loaded at start-up so a wrong path stops the server with the key to fix, not the first sentence.
    private static PiperTts CreatePiperTts(PiperTtsConfig config, string configFile) =>
        CheckPiper(config, configFile, PiperTts.Load);

    private static T CheckPiper<T>(PiperTtsConfig config, string configFile, Func<PiperTtsConfig, T> load)
    {
        try
        {
            return load(config);
        }
        catch (InvalidDataException e)
        {
            throw new ConfigException(configFile, $"{TtsConfigPath}.piper_tts.model_path", config.ModelPath,
                $"a Piper voice (.onnx with its .onnx.json next to it): {e.Message}");
        }
    }

    private static FliteTts CreateFliteTts(FliteTtsConfig config, string configFile)
    {
        CheckFliteVoice(config, FliteTts.ListVoices(config.Executable), configFile);
        return new FliteTts(config);
    }

    private static void CheckFliteVoice(FliteTtsConfig config, IReadOnlyList<string> builtIn, string configFile)
    {
        if (!builtIn.Contains(config.Voice) && !File.Exists(config.Voice))
            throw new ConfigException(configFile, $"{TtsConfigPath}.flite.voice", config.Voice,
                $"one of flite's voices ({string.Join(", ", builtIn)}) or a .flitevox file");
    }

    /// <summary>
    /// A Gradio engine's reference audio given as a local file must exist (a URL is the Gradio server's to fetch).
    /// The config reader has made local paths absolute; spark_tts's voice_creation sends no reference audio.
    /// </summary>
    private static TtsConfig CheckReferenceAudio(TtsConfig config, string configFile)
    {
        (string Key, string Value)[] files = config.TtsModel switch
        {
            CosyVoiceTts.Model => [("cosyvoice_tts.prompt_wav_upload_url", config.CosyVoiceTts.PromptWavUploadUrl),
                                   ("cosyvoice_tts.prompt_wav_record_url", config.CosyVoiceTts.PromptWavRecordUrl)],
            CosyVoiceTts.Model2 => [("cosyvoice2_tts.prompt_wav_upload_url", config.CosyVoice2Tts.PromptWavUploadUrl),
                                    ("cosyvoice2_tts.prompt_wav_record_url", config.CosyVoice2Tts.PromptWavRecordUrl)],
            SparkTts.Model when config.SparkTts.ApiName == "voice_clone" =>
                [("spark_tts.prompt_wav_upload", config.SparkTts.PromptWavUpload)],
            _ => [],
        };
        foreach (var (key, value) in files)
            if (Path.IsPathRooted(value) && !File.Exists(value))
                throw new ConfigException(configFile, $"{TtsConfigPath}.{key}", value,
                    "a URL or an existing audio file (relative paths start at the config file's folder)");
        return config;
    }
}
