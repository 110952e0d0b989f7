using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// siliconflow_tts as OLV: SiliconFlow's <c>POST /v1/audio/speech</c> (OpenAI's shape plus sample_rate, stream,
/// speed, gain) with a Bearer key. mp3 and wav are decoded from their bytes; pcm is headerless s16le mono at
/// sample_rate.
/// </summary>
public sealed class SiliconFlowTts(SiliconFlowTtsConfig config, HttpClient http) : ITtsEngine
{
    public const string Model = "siliconflow_tts";

    private readonly Uri _endpoint = new(config.ApiUrl);

    public string Name => Model;

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = TtsHttp.Json(new JsonObject
            {
                ["input"] = text,
                ["response_format"] = config.ResponseFormat,
                ["sample_rate"] = config.SampleRate,
                ["stream"] = config.Stream,
                ["speed"] = config.Speed,
                ["gain"] = config.Gain,
                ["model"] = config.DefaultModel,
                ["voice"] = config.DefaultVoice,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", config.ApiKey);
        await using var decoder = config.ResponseFormat == "pcm"
            ? StreamingAudioDecoder.RawPcm16(config.SampleRate, channels: 1)
            : StreamingAudioDecoder.Sniffing();
        return await TtsHttp.SynthesizeAsync(http, request, decoder, Name, cancellationToken);
    }
}
