using Vtuber.Domain.Config;

namespace Vtuber.Speech.Asr;

/// <summary>
/// Which files each sherpa_onnx_asr model_type needs (OLV's keys, olv-protocol.md 8.1), so a config can be checked
/// and its problem named before any native code would run.
/// </summary>
public static class SherpaOnnxModelFiles
{
    public static readonly IReadOnlyList<string> ModelTypes =
        ["transducer", "paraformer", "nemo_ctc", "wenet_ctc", "whisper", "tdnn_ctc", "sense_voice", "fire_red_asr"];

    /// <summary>(key, path) pairs the model type needs, tokens included; a null path means "not given".</summary>
    public static IReadOnlyList<(string Key, string? Path)> Required(SherpaOnnxAsrConfig c) => c.ModelType switch
    {
        "transducer" => [("encoder", c.Encoder), ("decoder", c.Decoder), ("joiner", c.Joiner), ("tokens", c.Tokens)],
        "paraformer" => [("paraformer", c.Paraformer), ("tokens", c.Tokens)],
        "nemo_ctc" => [("nemo_ctc", c.NemoCtc), ("tokens", c.Tokens)],
        "wenet_ctc" => [("wenet_ctc", c.WenetCtc), ("tokens", c.Tokens)],
        "whisper" => [("whisper_encoder", c.WhisperEncoder), ("whisper_decoder", c.WhisperDecoder), ("tokens", c.Tokens)],
        "tdnn_ctc" => [("tdnn_model", c.TdnnModel), ("tokens", c.Tokens)],
        "sense_voice" => [("sense_voice", c.SenseVoice), ("tokens", c.Tokens)],
        "fire_red_asr" => [("fire_red_asr_encoder", c.FireRedAsrEncoder), ("fire_red_asr_decoder", c.FireRedAsrDecoder),
            ("tokens", c.Tokens)],
        _ => [],
    };

    /// <summary>Why the configured model cannot be used: unknown type, missing keys or missing files; null when complete.</summary>
    public static string? Problem(SherpaOnnxAsrConfig config)
    {
        if (!ModelTypes.Contains(config.ModelType))
        {
            return $"asr_config.sherpa_onnx_asr.model_type '{config.ModelType}' is not one of {string.Join(", ", ModelTypes)}";
        }
        var missing = Required(config)
            .Where(f => f.Path is null || !File.Exists(f.Path))
            .Select(f => f.Path is null ? $"{f.Key} (not given)" : $"{f.Key} ('{f.Path}' does not exist)")
            .ToList();
        return missing.Count == 0 ? null
            : $"model_type '{config.ModelType}' needs these files under asr_config.sherpa_onnx_asr: {string.Join(", ", missing)}";
    }
}
