using System.Text.Json.Nodes;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>x_tts as OLV: xtts-api-server's <c>POST /tts_to_audio</c> with text, speaker_wav and language; a WAV comes back.</summary>
public sealed class XTts(XTtsConfig config, HttpClient http) : ITtsEngine
{
    public const string Model = "x_tts";

    private readonly Uri _endpoint = new(config.ApiUrl);

    public string Name => Model;

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = TtsHttp.Json(new JsonObject
            {
                ["text"] = text,
                ["speaker_wav"] = config.SpeakerWav,
                ["language"] = config.Language,
            }),
        };
        await using var decoder = StreamingAudioDecoder.Sniffing();
        return await TtsHttp.SynthesizeAsync(http, request, decoder, Name, cancellationToken);
    }
}
