using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// minimax_tts as OLV: MiniMax's <c>POST /v1/t2a_v2?GroupId=…</c> with <c>stream: true</c>. The reply is server-sent
/// events whose <c>data.audio</c> is hex-encoded MP3; each event's audio is decoded as it arrives. The closing event
/// (with <c>extra_info</c>) repeats the whole audio and is skipped, as OLV does. MiniMax reports failures with HTTP
/// 200 and a non-zero <c>base_resp.status_code</c>; those are engine failures here.
/// </summary>
public sealed class MinimaxTts(MinimaxTtsConfig config, HttpClient http) : ITtsEngine
{
    public const string Model = "minimax_tts";

    private readonly Uri _endpoint = new(
        $"{config.BaseUrl.TrimEnd('/')}/v1/t2a_v2?GroupId={Uri.EscapeDataString(config.GroupId)}");

    public string Name => Model;

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = new JsonObject
        {
            ["model"] = config.Model,
            ["text"] = text,
            ["stream"] = true,
            ["voice_setting"] = new JsonObject
            {
                ["voice_id"] = config.VoiceId, ["speed"] = 1.0, ["vol"] = 1.0, ["pitch"] = 0,
            },
            // Read as a JSON object at start-up; empty means no custom pronunciations.
            ["pronunciation_dict"] = string.IsNullOrWhiteSpace(config.PronunciationDict)
                ? new JsonObject { ["tone"] = new JsonArray() }
                : JsonNode.Parse(config.PronunciationDict),
            ["audio_setting"] = new JsonObject
            {
                ["sample_rate"] = 32000, ["bitrate"] = 128000, ["format"] = "mp3", ["channel"] = 1,
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = TtsHttp.Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", config.ApiKey);
        await using var decoder = StreamingAudioDecoder.Sniffing();
        return await TtsHttp.SynthesizeAsync(http, request, decoder, Name, ReadEventsAsync, cancellationToken);
    }

    private static async Task<Pcm16Audio> ReadEventsAsync(HttpContent content, StreamingAudioDecoder decoder,
                                                          CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var plainJson = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
                await WriteEventAudioAsync(line.AsMemory(5), decoder, cancellationToken);
            else if (line.Length > 0 && !line.StartsWith(':'))
                plainJson.AppendLine(line); // not an event: an error answered as one JSON object
        }
        if (plainJson.Length > 0)
            CheckStatus(Parse(plainJson.ToString().AsMemory()));
        return await decoder.CompleteAsync(cancellationToken);
    }

    private static async Task WriteEventAudioAsync(ReadOnlyMemory<char> json, StreamingAudioDecoder decoder,
                                                   CancellationToken cancellationToken)
    {
        using var document = Parse(json);
        CheckStatus(document);
        var root = document.RootElement;
        if (root.TryGetProperty("extra_info", out _) || !root.TryGetProperty("data", out var data) ||
            data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("audio", out var audio) ||
            audio.ValueKind != JsonValueKind.String)
            return;
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(audio.GetString()!);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"data.audio is not hex: {e.Message}", e);
        }
        await decoder.WriteAsync(bytes, cancellationToken);
    }

    private static JsonDocument Parse(ReadOnlyMemory<char> json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"an event that is not JSON: {e.Message}", e);
        }
    }

    private static void CheckStatus(JsonDocument document)
    {
        if (document.RootElement.ValueKind == JsonValueKind.Object &&
            document.RootElement.TryGetProperty("base_resp", out var status) &&
            status.TryGetProperty("status_code", out var code) && code.ValueKind == JsonValueKind.Number &&
            code.GetInt64() != 0)
        {
            var message = status.TryGetProperty("status_msg", out var m) ? m.ToString() : "";
            throw new InvalidDataException($"base_resp status_code {code.GetInt64()}: {message}");
        }
    }
}
