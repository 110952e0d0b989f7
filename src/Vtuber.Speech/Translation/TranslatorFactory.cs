using Vtuber.Domain.Config;

namespace Vtuber.Speech.Translation;

/// <summary>The translator of translator_config, or null when translate_audio is off (the TTS speaks the original).</summary>
public static class TranslatorFactory
{
    public static ITranslator? Create(TranslatorConfig config, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.TranslateAudio) return null;
        return config.TranslateProvider == TranslatorConfig.Tencent
            ? new TencentTranslator(config.TencentSettings, http)
            : new DeepLxTranslator(config.DeepLxSettings, http);
    }
}
