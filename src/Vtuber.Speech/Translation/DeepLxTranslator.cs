using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vtuber.Domain.Config;

namespace Vtuber.Speech.Translation;

/// <summary>
/// DeepLX's DeepL-compatible v2 endpoint, as OLV calls it: POST {"text":[TEXT],"target_lang":LANG} and read
/// {"translations":[{"text":…},…]}, the texts joined by a space.
/// </summary>
public sealed class DeepLxTranslator(DeepLxConfig config, HttpClient http) : ITranslator
{
    public const string Provider = "deeplx";

    public string Name => Provider;

    public async Task<string> TranslateAsync(string text, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, config.ApiEndpoint)
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["text"] = new JsonArray(text),
                ["target_lang"] = config.TargetLang,
            }),
        };
        var answer = await TranslationHttp.SendAsync(http, request, Provider, cancellationToken);
        if (answer["translations"] is not JsonArray translations || translations.Count == 0)
            throw new TranslationException(Provider, $"{config.ApiEndpoint} answered without translations: {answer.ToJsonString()}");
        return string.Join(' ', translations.Select(t => (string?)t?["text"] ?? ""));
    }
}
