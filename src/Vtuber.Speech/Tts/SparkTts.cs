using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;

namespace Vtuber.Speech.Tts;

/// <summary>
/// spark_tts as OLV: Spark-TTS's Gradio web UI. voice_clone passes the text, an empty prompt_text and the reference
/// audio prompt_wav_upload (no recording); voice_creation passes the text, gender, pitch and speed levels.
/// </summary>
public sealed class SparkTts(SparkTtsConfig config, HttpClient http) : ITtsEngine
{
    public const string Model = "spark_tts";

    private readonly GradioApp _app = new(config.ApiUrl, http, Model);

    public string Name => Model;

    public Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<GradioInput> inputs = config.ApiName == "voice_creation"
            ?
            [
                GradioInput.Of("text", text),
                GradioInput.Of("gender", config.Gender),
                GradioInput.Of("pitch", config.Pitch),
                GradioInput.Of("speed", config.Speed),
            ]
            :
            [
                GradioInput.Of("text", text),
                GradioInput.Of("prompt_text", ""),
                GradioInput.FileAt("prompt_wav_upload", config.PromptWavUpload),
                GradioInput.Of("prompt_wav_record", null),
            ];
        return _app.SynthesizeAsync(config.ApiName, inputs, cancellationToken);
    }
}
