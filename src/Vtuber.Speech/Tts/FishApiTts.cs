using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// fish_api_tts as OLV: Fish Audio's <c>POST /v1/tts</c> with a Bearer key. OLV's SDK sends the request as
/// MessagePack; the service takes the same fields as JSON, sent here with the SDK's defaults (MP3 at 128 kbps,
/// chunk_length 200, normalize). The MP3 is decoded while it streams in.
/// </summary>
public sealed class FishApiTts(FishApiTtsConfig config, HttpClient http) : ITtsEngine
{
    public const string Model = "fish_api_tts";

    private readonly Uri _endpoint = new($"{config.BaseUrl.TrimEnd('/')}/v1/tts");

    public string Name => Model;

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = new JsonObject
        {
            ["text"] = text,
            ["chunk_length"] = 200,
            ["format"] = "mp3",
            ["mp3_bitrate"] = 128,
            ["references"] = new JsonArray(),
            ["normalize"] = true,
            ["latency"] = config.Latency,
        };
        // The SDK sends null when no voice is chosen; the service then uses its default voice.
        body["reference_id"] = config.ReferenceId.Length > 0 ? config.ReferenceId : null;
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = TtsHttp.Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", config.ApiKey);
        await using var decoder = StreamingAudioDecoder.Sniffing();
        return await TtsHttp.SynthesizeAsync(http, request, decoder, Name, cancellationToken);
    }
}
