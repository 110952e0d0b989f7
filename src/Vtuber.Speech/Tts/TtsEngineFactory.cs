using Vtuber.Domain.Config;

namespace Vtuber.Speech.Tts;

/// <summary>Builds the engine named by character_config.tts_config.tts_model; one instance serves every session.</summary>
public static class TtsEngineFactory
{
    private const string TtsConfigPath = "character_config.tts_config";
    private static readonly string[] AudioFormats = ["mp3", "wav"];

    public static ITtsEngine Create(TtsConfig config, HttpClient http, string configFile)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(http);
        return config.TtsModel switch
        {
            EspeakNgTts.Model => new EspeakNgTts(config.EspeakNg),
            OpenAiTts.Model => CreateOpenAiTts(config.OpenAiTts, http, configFile),
            _ => throw new ConfigException(configFile, $"{TtsConfigPath}.tts_model", config.TtsModel,
                $"one of: {EspeakNgTts.Model}, {OpenAiTts.Model}"),
        };
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
}
