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
    private const int ErrorBodySnippetLength = 300;

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
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new TtsException(Name,
                    $"{_endpoint.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Snippet(body)}");
            }
            return await HttpAudioStream.DecodeAsync(response.Content, decoder, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new TtsException(Name, $"cannot reach {_endpoint.GetLeftPart(UriPartial.Path)}: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new TtsException(Name, $"{_endpoint.GetLeftPart(UriPartial.Path)} returned no usable audio: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TtsException(Name, $"{_endpoint.GetLeftPart(UriPartial.Path)} did not answer within {http.Timeout}", e);
        }
    }

    private StreamingAudioDecoder CreateDecoder()
    {
        var parts = config.OutputFormat.Split('_');
        return parts[0] == "pcm"
            ? StreamingAudioDecoder.RawPcm16(int.Parse(parts[1], CultureInfo.InvariantCulture), channels: 1)
            : StreamingAudioDecoder.Sniffing();
    }

    private static string Snippet(string body) =>
        body.Length <= ErrorBodySnippetLength ? body : body[..ErrorBodySnippetLength] + "…";
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
