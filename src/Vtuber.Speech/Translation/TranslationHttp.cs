using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vtuber.Speech.Translation;

/// <summary>Sends a translation request and reads its JSON answer; every failure becomes a TranslationException.</summary>
internal static class TranslationHttp
{

    public static async Task<JsonNode> SendAsync(HttpClient http, HttpRequestMessage request, string provider,
        CancellationToken cancellationToken)
    {
        var endpoint = request.RequestUri!.GetLeftPart(UriPartial.Path);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new TranslationException(provider,
                    $"{endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: {ErrorBody.Snippet(body)}");
            return JsonNode.Parse(body) ?? throw new TranslationException(provider, $"{endpoint} answered null");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new TranslationException(provider, $"cannot reach {endpoint}: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new TranslationException(provider, $"{endpoint} did not answer JSON: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TranslationException(provider, $"{endpoint} did not answer within {http.Timeout}", e);
        }
    }
}
