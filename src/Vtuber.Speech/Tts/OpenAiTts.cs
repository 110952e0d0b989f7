using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// openai_tts as in OLV: any server speaking OpenAI's <c>POST /v1/audio/speech</c> (Kokoro-FastAPI, OpenAI itself).
/// The reply is whatever <c>response_format</c> asked for; it is decoded from its own bytes.
/// </summary>
public sealed class OpenAiTts(OpenAiTtsConfig config, HttpClient http) : ITtsEngine
{
    public const string Model = "openai_tts";
    private const int ErrorBodySnippetLength = 300;

    private readonly Uri _speechEndpoint = new($"{config.BaseUrl.TrimEnd('/')}/audio/speech");

    public string Name => Model;

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var request = new HttpRequestMessage(HttpMethod.Post, _speechEndpoint)
        {
            Content = JsonContent.Create(
                new SpeechRequest(config.Model, config.Voice, text, config.FileExtension),
                SpeechJsonContext.Default.SpeechRequest),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", config.ApiKey);

        await using var decoder = StreamingAudioDecoder.Sniffing();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                throw new TtsException(Name,
                    $"{_speechEndpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Snippet(body)}");
            }
            // Decoded while it streams in: when the last byte lands, only the last frames are left to decode.
            return await HttpAudioStream.DecodeAsync(response.Content, decoder, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new TtsException(Name, $"cannot reach {_speechEndpoint}: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new TtsException(Name, $"{_speechEndpoint} returned no usable audio: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Not our token: HttpClient.Timeout expired. That is an engine failure, not a cancelled turn.
            throw new TtsException(Name, $"{_speechEndpoint} did not answer within {http.Timeout}", e);
        }
    }

    private static string Snippet(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, ErrorBodySnippetLength * 4));
        return text.Length <= ErrorBodySnippetLength ? text : text[..ErrorBodySnippetLength] + "…";
    }
}

internal sealed record SpeechRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("voice")] string Voice,
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("response_format")] string ResponseFormat);

[JsonSerializable(typeof(SpeechRequest))]
internal sealed partial class SpeechJsonContext : JsonSerializerContext;
