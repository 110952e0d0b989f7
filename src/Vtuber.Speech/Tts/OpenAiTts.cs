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
        return await TtsHttp.SynthesizeAsync(http, request, decoder, Name, cancellationToken);
    }
}

internal sealed record SpeechRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("voice")] string Voice,
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("response_format")] string ResponseFormat);

[JsonSerializable(typeof(SpeechRequest))]
internal sealed partial class SpeechJsonContext : JsonSerializerContext;
