using System.Text;
using System.Xml.Linq;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// azure_tts as OLV, on the Speech service's REST call instead of its SDK: SSML posted to the region's
/// <c>/cognitiveservices/v1</c> with the subscription key, answered as 24 kHz 16-bit mono WAV. The SSML is OLV's
/// (voice, prosody pitch as a percentage and rate), with the text escaped.
/// </summary>
public sealed class AzureTts(AzureTtsConfig config, HttpClient http) : ITtsEngine
{
    public const string Model = "azure_tts";
    public const string OutputFormat = "riff-24khz-16bit-mono-pcm";

    private static readonly XNamespace Ssml = "http://www.w3.org/2001/10/synthesis";

    private readonly Uri _endpoint = new(config.Endpoint);

    public string Name => Model;

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ssml = new XElement(Ssml + "speak",
            new XAttribute("version", "1.0"),
            new XAttribute(XNamespace.Xml + "lang", "en-US"),
            new XElement(Ssml + "voice", new XAttribute("name", config.Voice),
                new XElement(Ssml + "prosody",
                    new XAttribute("pitch", RelativePercent(config.Pitch)),
                    new XAttribute("rate", config.Rate),
                    text.Trim())));
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(ssml.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, "application/ssml+xml"),
        };
        request.Headers.Add("Ocp-Apim-Subscription-Key", config.ApiKey);
        request.Headers.Add("X-Microsoft-OutputFormat", OutputFormat);
        request.Headers.UserAgent.ParseAdd("Vtuber.Akka");
        await using var decoder = StreamingAudioDecoder.Sniffing();
        return await TtsHttp.SynthesizeAsync(http, request, decoder, Name, cancellationToken);
    }

    // OLV writes pitch + "%"; SSML reads a percentage as a change only when it is signed, so 26 becomes +26%.
    private static string RelativePercent(string pitch) =>
        pitch.StartsWith('+') || pitch.StartsWith('-') ? $"{pitch}%" : $"+{pitch}%";
}
