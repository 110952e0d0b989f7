using System.Text;
using System.Text.Json.Nodes;
using Vtuber.Domain.Audio;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// The HTTP side every HTTP TTS engine shares: send, decode the body while it streams in, and turn every way it can
/// go wrong into a <see cref="TtsException"/> naming the endpoint (a cancelled turn stays an OperationCanceledException).
/// </summary>
internal static class TtsHttp
{

    /// <summary>A JSON request body (application/json; charset=utf-8).</summary>
    public static StringContent Json(JsonObject body) =>
        new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static Task<Pcm16Audio> SynthesizeAsync(HttpClient http, HttpRequestMessage request,
        StreamingAudioDecoder decoder, string engine, CancellationToken cancellationToken) =>
        SynthesizeAsync(http, request, decoder, engine, HttpAudioStream.DecodeAsync, cancellationToken);

    /// <param name="readAudio">
    /// Turns a successful response into audio, for services that wrap it (MiniMax's hex in server-sent events);
    /// an <see cref="InvalidDataException"/> from it is reported as a reply without usable audio.
    /// </param>
    public static Task<Pcm16Audio> SynthesizeAsync(HttpClient http, HttpRequestMessage request,
        StreamingAudioDecoder decoder, string engine,
        Func<HttpContent, StreamingAudioDecoder, CancellationToken, Task<Pcm16Audio>> readAudio,
        CancellationToken cancellationToken) =>
        SendAsync(http, request, engine, "no usable audio",
            (content, token) => readAudio(content, decoder, token), cancellationToken);

    /// <summary>
    /// One request of a service that takes several (Gradio's call, then its event stream): a failure status, an
    /// unreachable service, a timeout or an <see cref="InvalidDataException"/> from <paramref name="read"/> (reported
    /// as <paramref name="unusable"/>) becomes a <see cref="TtsException"/> naming the endpoint.
    /// </summary>
    public static async Task<T> SendAsync<T>(HttpClient http, HttpRequestMessage request, string engine,
        string unusable, Func<HttpContent, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var endpoint = request.RequestUri!.GetLeftPart(UriPartial.Path);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                throw new TtsException(engine,
                    $"{endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: {ErrorBody.Snippet(body)}");
            }
            // Read while it streams in: when the last byte lands, only the last of it is left to handle.
            return await read(response.Content, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new TtsException(engine, $"cannot reach {endpoint}: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new TtsException(engine, $"{endpoint} returned {unusable}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Not our token: HttpClient.Timeout expired. That is an engine failure, not a cancelled turn.
            throw new TtsException(engine, $"{endpoint} did not answer within {http.Timeout}", e);
        }
    }
}
