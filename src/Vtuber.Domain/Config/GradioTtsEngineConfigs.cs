namespace Vtuber.Domain.Config;

/// <summary>
/// cosyvoice_tts and cosyvoice2_tts as OLV: CosyVoice's Gradio web UI, endpoint <c>api_name</c>, called with the
/// values OLV passes by name. The reference audio keys take a URL (the Gradio server downloads it) or a local file
/// (uploaded first; relative paths resolve against the config file's folder). cosyvoice_tts does not send stream
/// and speed (OLV's cosyvoice_tts does not), so the web UI's own defaults apply to them.
/// </summary>
public sealed record CosyVoiceTtsConfig
{
    public string ClientUrl { get; init; } = "http://127.0.0.1:50000/";
    public string ModeCheckboxGroup { get; init; } = "预训练音色";
    public string SftDropdown { get; init; } = "中文女";
    public string PromptText { get; init; } = "";
    public string PromptWavUploadUrl { get; init; } = GradioSample;
    public string PromptWavRecordUrl { get; init; } = GradioSample;
    public string InstructText { get; init; } = "";
    public int Seed { get; init; }
    public string ApiName { get; init; } = "/generate_audio";
    /// <summary>cosyvoice2_tts only.</summary>
    public bool Stream { get; init; }
    /// <summary>cosyvoice2_tts only.</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>OLV's template default reference audio for both CosyVoice engines.</summary>
    public const string GradioSample = "https://github.com/gradio-app/gradio/raw/main/test/test_files/audio_sample.wav";

    /// <summary>OLV's template defaults for cosyvoice2_tts, which differ from cosyvoice_tts in mode and voice.</summary>
    public static CosyVoiceTtsConfig Version2Defaults { get; } = new() { ModeCheckboxGroup = "3s极速复刻", SftDropdown = "" };
}

/// <summary>
/// spark_tts as OLV: Spark-TTS's Gradio web UI at <c>api_url</c>; <c>api_name</c> voice_clone sends the reference
/// audio <c>prompt_wav_upload</c> (URL or local file), voice_creation sends gender, pitch and speed (levels 1..5).
/// </summary>
public sealed record SparkTtsConfig
{
    public string ApiUrl { get; init; } = "http://127.0.0.1:6006/";
    public string PromptWavUpload { get; init; } =
        "https://uploadstatic.mihoyo.com/ys-obc/2022/11/02/16576950/4d9feb71760c5e8eb5f6c700df12fa0c_6824265537002152805.mp3";
    /// <summary>voice_clone or voice_creation.</summary>
    public string ApiName { get; init; } = "voice_clone";
    public string Gender { get; init; } = "female";
    public int Pitch { get; init; } = 3;
    public int Speed { get; init; } = 3;
}
