using System.Text.Json.Nodes;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// cartesia_tts as OLV, on the REST call its SDK makes: <c>POST /tts/bytes</c> with X-API-Key and Cartesia-Version.
/// OLV's output formats: wav is 44.1 kHz pcm_f32le (converted to 16-bit here), mp3 44.1 kHz 128 kbps.
/// </summary>
public sealed class CartesiaTts(CartesiaTtsConfig config, HttpClient http) : ITtsEngine
{
    public const string Model = "cartesia_tts";

    private readonly Uri _endpoint = new($"{config.BaseUrl.TrimEnd('/')}/tts/bytes");

    public string Name => Model;

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var outputFormat = config.OutputFormat == "wav"
            ? new JsonObject { ["container"] = "wav", ["sample_rate"] = 44100, ["encoding"] = "pcm_f32le" }
            : new JsonObject { ["container"] = "mp3", ["sample_rate"] = 44100, ["bit_rate"] = 128000 };
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = TtsHttp.Json(new JsonObject
            {
                ["model_id"] = config.ModelId,
                ["transcript"] = text,
                ["voice"] = new JsonObject { ["mode"] = "id", ["id"] = config.VoiceId },
                ["output_format"] = outputFormat,
                ["language"] = config.Language,
                ["generation_config"] = new JsonObject
                {
                    ["volume"] = config.Volume, ["speed"] = config.Speed, ["emotion"] = config.Emotion,
                },
            }),
        };
        request.Headers.Add("X-API-Key", config.ApiKey);
        request.Headers.Add("Cartesia-Version", CartesiaTtsConfig.ApiVersion);
        await using var decoder = StreamingAudioDecoder.Sniffing();
        return await TtsHttp.SynthesizeAsync(http, request, decoder, Name, cancellationToken);
    }
}
