using System.Net.Http.Headers;
using System.Text.Json;

namespace Vtuber.Speech.Asr;

/// <summary>Where and how to reach an OpenAI-compatible transcription API (openai_whisper, groq_whisper_asr).</summary>
public sealed record TranscriptionEndpoint(string BaseUrl, string ApiKey, string Model, string? Language, string? Prompt);

/// <summary>
/// <c>POST {base_url}/audio/transcriptions</c> as multipart/form-data: <c>file</c> = the utterance as a 16 kHz mono
/// 16-bit WAV (as OLV's groq engine uploads it), <c>model</c>, optional <c>language</c> and <c>prompt</c>,
/// <c>response_format=json</c>; the answer is <c>{"text": "..."}</c>. OpenAI, Groq, and local servers such as
/// faster-whisper-server and LocalAI speak it.
/// </summary>
public sealed class OpenAiTranscriptionRecognizer(string name, TranscriptionEndpoint endpoint, HttpClient http)
    : ISpeechRecognizer
{
    public const string OpenAiWhisper = "openai_whisper";
    public const string GroqWhisper = "groq_whisper_asr";

    private readonly Uri _url = new($"{endpoint.BaseUrl.TrimEnd('/')}/audio/transcriptions");

    public string Name => name;

    public async Task<string> TranscribeAsync(ReadOnlyMemory<float> samples16k, CancellationToken cancellationToken)
    {
        var wav = new ByteArrayContent(AsrAudio.ToWav(samples16k.Span));
        wav.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        using var form = new MultipartFormDataContent
        {
            { wav, "file", "audio.wav" },
            { new StringContent(endpoint.Model), "model" },
            { new StringContent("json"), "response_format" },
        };
        if (!string.IsNullOrWhiteSpace(endpoint.Language))
        {
            form.Add(new StringContent(endpoint.Language), "language");
        }
        if (!string.IsNullOrWhiteSpace(endpoint.Prompt))
        {
            form.Add(new StringContent(endpoint.Prompt), "prompt");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = form };
        if (endpoint.ApiKey.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        }

        string body;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new AsrException(Name, $"{_url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {ErrorBody.Snippet(body)}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new AsrException(Name, $"cannot reach {_url}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AsrException(Name, $"{_url} did not answer within {http.Timeout}", e);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                ? text.GetString()!.Trim()
                : throw new AsrException(Name, $"{_url} answered without a 'text' field: {ErrorBody.Snippet(body)}");
        }
        catch (JsonException e)
        {
            throw new AsrException(Name, $"{_url} answered with something other than JSON: {ErrorBody.Snippet(body)}", e);
        }
    }
}
