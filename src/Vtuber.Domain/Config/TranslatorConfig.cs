namespace Vtuber.Domain.Config;

/// <summary>
/// tts_preprocessor_config.translator_config (olv-protocol 8.2): when on, the TTS speaks each sentence translated by
/// translate_provider; subtitles and history keep the original. OLV's keys and defaults; base_url is ours.
/// </summary>
public sealed record TranslatorConfig
{
    public const string DeepLx = "deeplx";
    public const string Tencent = "tencent";

    public bool TranslateAudio { get; init; }
    /// <summary>"deeplx" or "tencent".</summary>
    public string TranslateProvider { get; init; } = DeepLx;
    public DeepLxConfig DeepLxSettings { get; init; } = new();
    public TencentTranslatorConfig TencentSettings { get; init; } = new();
}

public sealed record DeepLxConfig
{
    public string TargetLang { get; init; } = "JA";
    public string ApiEndpoint { get; init; } = "http://localhost:1188/v2/translate";
}

public sealed record TencentTranslatorConfig
{
    public string SecretId { get; init; } = "";
    public string SecretKey { get; init; } = "";
    public string Region { get; init; } = "ap-guangzhou";
    public string SourceLang { get; init; } = "zh";
    public string TargetLang { get; init; } = "ja";
    /// <summary>Ours: the TMT endpoint (tests point it at a loopback fake); the host is part of the signature.</summary>
    public string BaseUrl { get; init; } = "https://tmt.tencentcloudapi.com";
}

/// <summary>Reads translator_config; only the selected provider's section is strict, and only when translation is on.</summary>
internal static class TranslatorConfigReader
{
    public static TranslatorConfig Read(YamlSection s, TranslatorConfig d)
    {
        var on = s.Bool("translate_audio") ?? d.TranslateAudio;
        var provider = s.OneOf("translate_provider", TranslatorConfig.DeepLx, TranslatorConfig.Tencent) ?? d.TranslateProvider;
        var because = on ? $"translate_provider is '{provider}'" : "translate_audio is off";
        var deeplx = s.Section("deeplx", on && provider == TranslatorConfig.DeepLx, because);
        var tencent = s.Section("tencent", on && provider == TranslatorConfig.Tencent, because);
        var config = new TranslatorConfig
        {
            TranslateAudio = on,
            TranslateProvider = provider,
            DeepLxSettings = new DeepLxConfig
            {
                TargetLang = deeplx.NonBlank("deeplx_target_lang", "a DeepL target language such as JA or EN-US")
                             ?? d.DeepLxSettings.TargetLang,
                ApiEndpoint = deeplx.HttpUrl("deeplx_api_endpoint") ?? d.DeepLxSettings.ApiEndpoint,
            },
            TencentSettings = new TencentTranslatorConfig
            {
                SecretId = tencent.String("secret_id") ?? d.TencentSettings.SecretId,
                SecretKey = tencent.String("secret_key") ?? d.TencentSettings.SecretKey,
                Region = tencent.String("region") ?? d.TencentSettings.Region,
                SourceLang = tencent.NonBlank("source_lang", "a language code such as zh or auto") ?? d.TencentSettings.SourceLang,
                TargetLang = tencent.NonBlank("target_lang", "a language code such as ja") ?? d.TencentSettings.TargetLang,
                BaseUrl = tencent.HttpUrl("base_url") ?? d.TencentSettings.BaseUrl,
            },
        };
        if (on && provider == TranslatorConfig.Tencent)
        {
            if (string.IsNullOrWhiteSpace(config.TencentSettings.SecretId))
                tencent.Refuse("secret_id", config.TencentSettings.SecretId, "a Tencent Cloud SecretId when translate_audio is on");
            if (string.IsNullOrWhiteSpace(config.TencentSettings.SecretKey))
                tencent.Refuse("secret_key", config.TencentSettings.SecretKey, "a Tencent Cloud SecretKey when translate_audio is on");
        }
        return config;
    }
}
