using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vtuber.Speech.Tts.Piper;

/// <summary>
/// The JSON that sits next to a Piper voice (<c>voice.onnx.json</c>): output rate, espeak-ng voice, default
/// scales, the phoneme → id table and the speakers. Only what synthesis needs is read.
/// </summary>
public sealed record PiperVoiceConfig(
    int SampleRate,
    string EspeakVoice,
    float NoiseScale,
    float LengthScale,
    float NoiseW,
    IReadOnlyDictionary<string, long[]> PhonemeIdMap,
    int NumSpeakers)
{
    public static PiperVoiceConfig Parse(string json, string source)
    {
        PiperVoiceJson? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(json, PiperJsonContext.Default.PiperVoiceJson);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a Piper voice config: {e.Message}", e);
        }
        if (parsed?.Audio?.SampleRate is not > 0)
            throw new InvalidDataException($"{source} has no audio.sample_rate");
        if (parsed.PhonemeIdMap is not { Count: > 0 } map)
            throw new InvalidDataException($"{source} has no phoneme_id_map");
        foreach (var marker in new[] { PiperPhonemeIds.Pad, PiperPhonemeIds.Bos, PiperPhonemeIds.Eos })
            if (!map.ContainsKey(marker))
                throw new InvalidDataException($"{source}: phoneme_id_map lacks '{marker}'");
        if (parsed.PhonemeType is { } type && type != "espeak")
            throw new InvalidDataException(
                $"{source}: phoneme_type '{type}' is not supported (only espeak voices; text voices need their own phonemizer)");
        var inference = parsed.Inference;
        return new PiperVoiceConfig(
            parsed.Audio.SampleRate.Value,
            parsed.Espeak?.Voice ?? "en-us",
            inference?.NoiseScale ?? 0.667f,
            inference?.LengthScale ?? 1f,
            inference?.NoiseW ?? 0.8f,
            map,
            parsed.NumSpeakers ?? 1);
    }
}

internal sealed record PiperVoiceJson(
    [property: JsonPropertyName("audio")] PiperAudioJson? Audio,
    [property: JsonPropertyName("espeak")] PiperEspeakJson? Espeak,
    [property: JsonPropertyName("inference")] PiperInferenceJson? Inference,
    [property: JsonPropertyName("phoneme_type")] string? PhonemeType,
    [property: JsonPropertyName("phoneme_id_map")] Dictionary<string, long[]>? PhonemeIdMap,
    [property: JsonPropertyName("num_speakers")] int? NumSpeakers);

internal sealed record PiperAudioJson([property: JsonPropertyName("sample_rate")] int? SampleRate);

internal sealed record PiperEspeakJson([property: JsonPropertyName("voice")] string? Voice);

internal sealed record PiperInferenceJson(
    [property: JsonPropertyName("noise_scale")] float? NoiseScale,
    [property: JsonPropertyName("length_scale")] float? LengthScale,
    [property: JsonPropertyName("noise_w")] float? NoiseW);

[JsonSerializable(typeof(PiperVoiceJson))]
internal sealed partial class PiperJsonContext : JsonSerializerContext;
