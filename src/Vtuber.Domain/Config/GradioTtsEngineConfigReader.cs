namespace Vtuber.Domain.Config;

/// <summary>Reads the tts_config sections of OLV's engines served by a Gradio web UI (CosyVoice, Spark-TTS).</summary>
internal static class GradioTtsEngineConfigReader
{
    private const string ReferenceAudio = "a URL or a local audio file, or empty for none";

    public static CosyVoiceTtsConfig ReadCosyVoice(YamlSection s, CosyVoiceTtsConfig d, bool version2)
    {
        var config = new CosyVoiceTtsConfig
        {
            ClientUrl = s.HttpUrl("client_url") ?? d.ClientUrl,
            ModeCheckboxGroup = s.NonBlank("mode_checkbox_group", "one of the web UI's modes such as 预训练音色 or 3s极速复刻") ?? d.ModeCheckboxGroup,
            SftDropdown = s.String("sft_dropdown") ?? d.SftDropdown,
            PromptText = s.String("prompt_text") ?? d.PromptText,
            PromptWavUploadUrl = ReferenceAudioValue(s, "prompt_wav_upload_url") ?? d.PromptWavUploadUrl,
            PromptWavRecordUrl = ReferenceAudioValue(s, "prompt_wav_record_url") ?? d.PromptWavRecordUrl,
            InstructText = s.String("instruct_text") ?? d.InstructText,
            Seed = s.Int("seed", 0, int.MaxValue, "a whole number 0..2147483647") ?? d.Seed,
            ApiName = s.NonBlank("api_name", "the web UI's endpoint such as /generate_audio") ?? d.ApiName,
        };
        if (!version2) return config;
        return config with
        {
            Stream = s.Bool("stream") ?? d.Stream,
            // The range of the CosyVoice web UI's speed field.
            Speed = s.Number("speed", 0.5, 2.0, "a speed 0.5..2.0") ?? d.Speed,
        };
    }

    public static SparkTtsConfig ReadSpark(YamlSection s, SparkTtsConfig d) => new()
    {
        ApiUrl = s.HttpUrl("api_url") ?? d.ApiUrl,
        PromptWavUpload = ReferenceAudioValue(s, "prompt_wav_upload") ?? d.PromptWavUpload,
        ApiName = s.OneOf("api_name", "voice_clone", "voice_creation") ?? d.ApiName,
        Gender = s.OneOf("gender", "male", "female") ?? d.Gender,
        // Spark-TTS's sliders: levels 1..5, 3 is normal.
        Pitch = s.Int("pitch", 1, 5, "a level 1..5 (3 is normal)") ?? d.Pitch,
        Speed = s.Int("speed", 1, 5, "a level 1..5 (3 is normal)") ?? d.Speed,
    };

    /// <summary>A URL stays as given; a local path resolves against the config file's folder, as OLV's working folder.</summary>
    private static string? ReferenceAudioValue(YamlSection s, string key)
    {
        var value = s.String(key);
        if (string.IsNullOrWhiteSpace(value)) return value;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return value;
        if (value.Contains("://", StringComparison.Ordinal)) return s.Refuse(key, value, ReferenceAudio);
        return Path.GetFullPath(value, Path.GetDirectoryName(s.File)!);
    }
}
