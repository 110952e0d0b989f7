using Vtuber.Domain.Config;

namespace Vtuber.Speech.Asr;

/// <summary>
/// Builds the recognizer named by character_config.asr_config.asr_model; one instance serves every session.
/// A value that is plainly wrong (unknown engine, a model file or grammar that does not exist, a missing API key)
/// stops start-up with a <see cref="ConfigException"/>. An engine that exists in OLV but cannot run here gives an
/// <see cref="UnavailableRecognizer"/>: an OLV conf.yaml must still start the server for text chat.
/// </summary>
public static class AsrEngineFactory
{
    public const string SherpaOnnx = "sherpa_onnx_asr";
    private const string AsrConfigPath = "character_config.asr_config";

    public static readonly IReadOnlyList<string> Engines =
    [
        PocketsphinxRecognizer.Model, WhisperCppRecognizer.Model, SherpaOnnx,
        OpenAiTranscriptionRecognizer.OpenAiWhisper, OpenAiTranscriptionRecognizer.GroqWhisper,
        AzureTranscriptionRecognizer.Model,
    ];

    private static readonly string[] OtherOlvEngines = ["faster_whisper", "whisper", "fun_asr"];

    /// <summary>
    /// What <see cref="Create"/> would refuse, found by cheap probes only (files exist, keys are set): no recognizer
    /// is built and no model loaded. An engine that would be unavailable is not an error, as in Create.
    /// </summary>
    public static void Check(AsrConfig config, string configFile)
    {
        ArgumentNullException.ThrowIfNull(config);
        switch (config.AsrModel)
        {
            case PocketsphinxRecognizer.Model:
                CheckPocketsphinx(config.Pocketsphinx, configFile);
                break;
            case WhisperCppRecognizer.Model:
                CheckWhisperCpp(config.WhisperCpp, configFile);
                break;
            case OpenAiTranscriptionRecognizer.GroqWhisper:
                CheckGroq(config.GroqWhisperAsr, configFile);
                break;
            case var model when !Engines.Contains(model) && !OtherOlvEngines.Contains(model):
                throw UnknownEngine(config, configFile);
        }
    }

    public static ISpeechRecognizer Create(AsrConfig config, HttpClient http, string configFile)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(http);
        return config.AsrModel switch
        {
            PocketsphinxRecognizer.Model => CreatePocketsphinx(config.Pocketsphinx, configFile),
            WhisperCppRecognizer.Model => CreateWhisperCpp(config.WhisperCpp, configFile),
            SherpaOnnx => CreateSherpaOnnx(config.SherpaOnnxAsr),
            OpenAiTranscriptionRecognizer.OpenAiWhisper => new OpenAiTranscriptionRecognizer(config.AsrModel,
                new TranscriptionEndpoint(config.OpenAiWhisper.BaseUrl, config.OpenAiWhisper.ApiKey,
                    config.OpenAiWhisper.Model, config.OpenAiWhisper.Language, config.OpenAiWhisper.Prompt), http),
            OpenAiTranscriptionRecognizer.GroqWhisper => CreateGroq(config.GroqWhisperAsr, http, configFile),
            AzureTranscriptionRecognizer.Model => new AzureTranscriptionRecognizer(config.AzureAsr, http),
            var other when OtherOlvEngines.Contains(other) => new UnavailableRecognizer(other,
                $"'{other}' is an Open-LLM-VTuber engine this server does not run; set {AsrConfigPath}.asr_model to one of " +
                string.Join(", ", Engines)),
            _ => throw UnknownEngine(config, configFile),
        };
    }

    private static ConfigException UnknownEngine(AsrConfig config, string configFile) =>
        new(configFile, $"{AsrConfigPath}.asr_model", config.AsrModel, $"one of: {string.Join(", ", Engines)}");

    private static PocketsphinxRecognizer CreatePocketsphinx(PocketsphinxAsrConfig config, string configFile)
    {
        CheckPocketsphinx(config, configFile);
        return new PocketsphinxRecognizer(config);
    }

    private static void CheckPocketsphinx(PocketsphinxAsrConfig config, string configFile)
    {
        if (config.JsgfGrammar is { } grammar && !File.Exists(grammar))
        {
            throw new ConfigException(configFile, $"{AsrConfigPath}.pocketsphinx.jsgf_grammar", grammar,
                "the path of an existing JSGF grammar file");
        }
    }

    /// <summary>
    /// OLV's default engine: with its model files missing (OLV's sample config names models that are not here) or the
    /// native library not set up, text chat still starts and voice input answers with the reason.
    /// </summary>
    private static ISpeechRecognizer CreateSherpaOnnx(SherpaOnnxAsrConfig config) =>
        (SherpaOnnxModelFiles.Problem(config) ?? SherpaOnnxLibrary.Problem()) is { } problem
            ? new UnavailableRecognizer(SherpaOnnx, $"{problem}; voice input is off")
            : new SherpaOnnxRecognizer(config);

    private static WhisperCppRecognizer CreateWhisperCpp(WhisperCppAsrConfig config, string configFile) =>
        new(CheckWhisperCpp(config, configFile), config.Language, config.Prompt);

    private static string CheckWhisperCpp(WhisperCppAsrConfig config, string configFile)
    {
        var path = ModelPath(config);
        if (!File.Exists(path))
        {
            throw new ConfigException(configFile, $"{AsrConfigPath}.whisper_cpp.model_name", config.ModelName,
                $"a ggml model: the file {path} does not exist (model_dir/ggml-<model_name>.bin, or a path to a .bin)");
        }
        return path;
    }

    private static void CheckGroq(GroqWhisperAsrConfig config, string configFile)
    {
        if (string.IsNullOrWhiteSpace(config.ApiKey))
        {
            throw new ConfigException(configFile, $"{AsrConfigPath}.groq_whisper_asr.api_key", config.ApiKey,
                "a Groq API key");
        }
    }

    /// <summary>pywhispercpp's rule: a model_name that is a file is used as is, otherwise model_dir/ggml-NAME.bin.</summary>
    public static string ModelPath(WhisperCppAsrConfig config) =>
        File.Exists(config.ModelName) ? Path.GetFullPath(config.ModelName)
            : Path.Combine(config.ModelDir, $"ggml-{config.ModelName}.bin");

    private static OpenAiTranscriptionRecognizer CreateGroq(GroqWhisperAsrConfig config, HttpClient http, string configFile)
    {
        CheckGroq(config, configFile);
        return new OpenAiTranscriptionRecognizer(OpenAiTranscriptionRecognizer.GroqWhisper,
            new TranscriptionEndpoint(config.BaseUrl, config.ApiKey, config.Model, config.Lang, null), http);
    }
}
