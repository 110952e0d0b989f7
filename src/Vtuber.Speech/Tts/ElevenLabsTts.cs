using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// elevenlabs_tts on ElevenLabs' streaming endpoint (<c>POST /v1/text-to-speech/{voice_id}/stream</c>): the audio
/// is decoded while it streams in, so the sentence is ready as soon as its last chunk lands. mp3_* and wav_* replies
/// are decoded from their bytes; pcm_{rate} is headerless 16-bit mono PCM at that rate.
/// </summary>
public sealed class ElevenLabsTts(ElevenLabsTtsConfig config, HttpClient http) : ITtsEngine
{
    public const string Model = "elevenlabs_tts";

    private readonly Uri _endpoint = new(
        $"{config.BaseUrl.TrimEnd('/')}/v1/text-to-speech/{Uri.EscapeDataString(config.VoiceId)}/stream" +
        $"?output_format={Uri.EscapeDataString(config.OutputFormat)}");

    public string Name => Model;

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = JsonContent.Create(
                new ElevenLabsRequest(text, config.ModelId, new ElevenLabsVoiceSettings(
                    config.Stability, config.SimilarityBoost, config.Style, config.UseSpeakerBoost)),
                ElevenLabsJsonContext.Default.ElevenLabsRequest),
        };
        request.Headers.Add("xi-api-key", config.ApiKey);

        await using var decoder = CreateDecoder();
        return await TtsHttp.SynthesizeAsync(http, request, decoder, Name, cancellationToken);
    }

    private StreamingAudioDecoder CreateDecoder()
    {
        var parts = config.OutputFormat.Split('_');
        return parts[0] == "pcm"
            ? StreamingAudioDecoder.RawPcm16(int.Parse(parts[1], CultureInfo.InvariantCulture), channels: 1)
            : StreamingAudioDecoder.Sniffing();
    }
}

internal sealed record ElevenLabsRequest(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("model_id")] string ModelId,
    [property: JsonPropertyName("voice_settings")] ElevenLabsVoiceSettings VoiceSettings);

internal sealed record ElevenLabsVoiceSettings(
    [property: JsonPropertyName("stability")] double Stability,
    [property: JsonPropertyName("similarity_boost")] double SimilarityBoost,
    [property: JsonPropertyName("style")] double Style,
    [property: JsonPropertyName("use_speaker_boost")] bool UseSpeakerBoost);

[JsonSerializable(typeof(ElevenLabsRequest))]
internal sealed partial class ElevenLabsJsonContext : JsonSerializerContext;
