using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vtuber.Domain.Config;

namespace Vtuber.Speech.Asr;

/// <summary>
/// azure_asr through Azure Speech's fast transcription REST API (OLV uses the Speech SDK, which has no .NET build for
/// this purpose without native libraries): <c>POST {endpoint}/speechtotext/transcriptions:transcribe?api-version=2024-11-15</c>,
/// multipart with <c>audio</c> = the utterance as 16 kHz mono 16-bit WAV and <c>definition</c> =
/// <c>{"locales":[…]}</c> (the language is detected among OLV's <c>languages</c>, as its SDK call does), key in
/// <c>Ocp-Apim-Subscription-Key</c>; the transcript is <c>combinedPhrases[0].text</c>.
/// </summary>
public sealed class AzureTranscriptionRecognizer(AzureAsrConfig config, HttpClient http) : ISpeechRecognizer
{
    public const string Model = "azure_asr";
    public const string ApiVersion = "2024-11-15";

    private readonly Uri _url = new(
        $"{(config.BaseUrl ?? $"https://{config.Region}.api.cognitive.microsoft.com").TrimEnd('/')}" +
        $"/speechtotext/transcriptions:transcribe?api-version={ApiVersion}");

    public string Name => Model;

    /// <summary>Where utterances are sent.</summary>
    public Uri Endpoint => _url;

    public async Task<string> TranscribeAsync(ReadOnlyMemory<float> samples16k, CancellationToken cancellationToken)
    {
        var audio = new ByteArrayContent(AsrAudio.ToWav(samples16k.Span));
        audio.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        var definition = new JsonObject { ["locales"] = new JsonArray(config.Languages.Select(l => (JsonNode)l).ToArray()) };
        using var form = new MultipartFormDataContent
        {
            { audio, "audio", "audio.wav" },
            { new StringContent(definition.ToJsonString()), "definition" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = form };
        request.Headers.Add("Ocp-Apim-Subscription-Key", config.ApiKey);

        string body;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new AsrException(Name, $"{_url.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}: {ErrorBody.Snippet(body)}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new AsrException(Name, $"cannot reach {_url.GetLeftPart(UriPartial.Path)}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AsrException(Name, $"{_url.GetLeftPart(UriPartial.Path)} did not answer within {http.Timeout}", e);
        }

        try
        {
            var answer = JsonNode.Parse(body);
            // Silence is an answer with no phrases: an empty transcript, not an error.
            return answer?["combinedPhrases"] is JsonArray phrases
                ? string.Join(' ', phrases.Select(p => ((string?)p?["text"])?.Trim()).Where(t => !string.IsNullOrEmpty(t)))
                : throw new AsrException(Name, $"answer without combinedPhrases: {ErrorBody.Snippet(body)}");
        }
        catch (JsonException e)
        {
            throw new AsrException(Name, $"answered with something other than JSON: {ErrorBody.Snippet(body)}", e);
        }
    }
}
