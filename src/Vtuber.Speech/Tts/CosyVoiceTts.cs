using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;

namespace Vtuber.Speech.Tts;

/// <summary>
/// cosyvoice_tts and cosyvoice2_tts as OLV: CosyVoice's Gradio web UI, endpoint api_name, given the values OLV's
/// gradio_client call passes by name. cosyvoice_tts passes no stream and speed (OLV's does not), so against a web UI
/// that has them they take its defaults; cosyvoice2_tts passes both.
/// </summary>
public sealed class CosyVoiceTts(CosyVoiceTtsConfig config, HttpClient http, bool version2) : ITtsEngine
{
    public const string Model = "cosyvoice_tts";
    public const string Model2 = "cosyvoice2_tts";

    private readonly GradioApp _app = new(config.ClientUrl, http, version2 ? Model2 : Model);

    public string Name => version2 ? Model2 : Model;

    public Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<GradioInput> inputs =
        [
            GradioInput.Of("tts_text", text),
            GradioInput.Of("mode_checkbox_group", config.ModeCheckboxGroup),
            GradioInput.Of("sft_dropdown", config.SftDropdown),
            GradioInput.Of("prompt_text", config.PromptText),
            GradioInput.FileAt("prompt_wav_upload", config.PromptWavUploadUrl),
            GradioInput.FileAt("prompt_wav_record", config.PromptWavRecordUrl),
            GradioInput.Of("instruct_text", config.InstructText),
            GradioInput.Of("seed", config.Seed),
        ];
        if (version2)
        {
            inputs.Add(GradioInput.Of("stream", config.Stream));
            inputs.Add(GradioInput.Of("speed", config.Speed));
        }
        return _app.SynthesizeAsync(config.ApiName, inputs, cancellationToken);
    }
}
