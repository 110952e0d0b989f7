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
        AzureTts.Model, Pyttsx3Model,
    ];

    /// <summary>OLV's pyttsx3_tts: on Linux pyttsx3 speaks through espeak(-ng), so the espeak_ng engine stands in.</summary>
    public const string Pyttsx3Model = "pyttsx3_tts";

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
            Pyttsx3Model => new EspeakNgTts(config.EspeakNg),
            _ => throw new ConfigException(configFile, $"{TtsConfigPath}.tts_model", config.TtsModel,
                $"one of: {string.Join(", ", Models)}"),
        };
        var postProcessor = new AudioPostProcessor(config.PostProcessing);
        return postProcessor.IsActive ? new PostProcessedTts(engine, postProcessor) : engine;
    }

    private static OpenAiTts CreateOpenAiTts(OpenAiTtsConfig config, HttpClient http, string configFile)
    {
        if (!Uri.TryCreate(config.BaseUrl, UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            throw new ConfigException(configFile, $"{TtsConfigPath}.openai_tts.base_url", config.BaseUrl,
                "an absolute http(s) URL such as http://localhost:8880/v1");
        if (!AudioFormats.Contains(config.FileExtension))
            throw new ConfigException(configFile, $"{TtsConfigPath}.openai_tts.file_extension", config.FileExtension,
                $"one of: {string.Join(", ", AudioFormats)}");
        return new OpenAiTts(config, http);
    }

    // The model is loaded at start-up so a wrong path stops the server with the key to fix, not the first sentence.
    private static PiperTts CreatePiperTts(PiperTtsConfig config, string configFile)
    {
        try
        {
            return PiperTts.Load(config);
        }
        catch (InvalidDataException e)
        {
            throw new ConfigException(configFile, $"{TtsConfigPath}.piper_tts.model_path", config.ModelPath,
                $"a Piper voice (.onnx with its .onnx.json next to it): {e.Message}");
        }
    }

    private static FliteTts CreateFliteTts(FliteTtsConfig config, string configFile)
    {
        var builtIn = FliteTts.ListVoices(config.Executable);
        if (!builtIn.Contains(config.Voice) && !File.Exists(config.Voice))
            throw new ConfigException(configFile, $"{TtsConfigPath}.flite.voice", config.Voice,
                $"one of flite's voices ({string.Join(", ", builtIn)}) or a .flitevox file");
        return new FliteTts(config);
    }
}
