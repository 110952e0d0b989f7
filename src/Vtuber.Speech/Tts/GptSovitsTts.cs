using System.Text.RegularExpressions;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// gpt_sovits_tts as OLV: GPT-SoVITS api_v2's <c>GET /tts</c>, every setting a query parameter. Bracketed tags
/// ([joy], [laugh]) are cut from the text as OLV does. In streaming mode the WAV header comes first with an unknown
/// (zero) length and the samples follow as they are made; the decoder reads them to the end.
/// </summary>
public sealed partial class GptSovitsTts(GptSovitsTtsConfig config, HttpClient http) : ITtsEngine
{
    public const string Model = "gpt_sovits_tts";

    public string Name => Model;

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var query = new (string Key, string Value)[]
        {
            ("text", BracketedTag().Replace(text, "")),
            ("text_lang", config.TextLang),
            ("ref_audio_path", config.RefAudioPath),
            ("prompt_lang", config.PromptLang),
            ("prompt_text", config.PromptText),
            ("text_split_method", config.TextSplitMethod),
            ("batch_size", config.BatchSize),
            ("media_type", config.MediaType),
            ("streaming_mode", config.StreamingMode),
        };
        var separator = config.ApiUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var uri = new Uri(config.ApiUrl + separator + string.Join("&",
            query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        await using var decoder = StreamingAudioDecoder.Sniffing();
        return await TtsHttp.SynthesizeAsync(http, request, decoder, Name, cancellationToken);
    }

    [GeneratedRegex(@"\[.*?\]")]
    private static partial Regex BracketedTag();
}
