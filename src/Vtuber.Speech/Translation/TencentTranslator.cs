using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Vtuber.Domain.Config;

namespace Vtuber.Speech.Translation;

/// <summary>
/// Tencent Cloud Machine Translation (TMT) TextTranslate, API version 2018-03-21, signed with TC3-HMAC-SHA256 as
/// OLV does (content-type, host and x-tc-action signed). Answers {"Response":{"TargetText":…}} or
/// {"Response":{"Error":{"Code","Message"}}}. No NuGet SDK is used: the one request needs only the signature.
/// </summary>
public sealed class TencentTranslator(TencentTranslatorConfig config, HttpClient http, TimeProvider? clock = null)
    : ITranslator
{
    public const string Provider = "tencent";
    private const string Service = "tmt";
    private const string Action = "TextTranslate";
    private const string Version = "2018-03-21";
    private const string Algorithm = "TC3-HMAC-SHA256";
    private const string ContentType = "application/json; charset=utf-8";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Name => Provider;

    public async Task<string> TranslateAsync(string text, CancellationToken cancellationToken)
    {
        var endpoint = new Uri(config.BaseUrl);
        var payload = new JsonObject
        {
            ["SourceText"] = text,
            ["Source"] = config.SourceLang,
            ["Target"] = config.TargetLang,
            ["ProjectId"] = 0,
        }.ToJsonString();
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(payload)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        request.Headers.TryAddWithoutValidation("Authorization",
            Authorization(config.SecretId, config.SecretKey, endpoint.Authority, payload, timestamp));
        request.Headers.Add("X-TC-Action", Action);
        request.Headers.Add("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-TC-Version", Version);
        if (!string.IsNullOrEmpty(config.Region)) request.Headers.Add("X-TC-Region", config.Region);

        var answer = await TranslationHttp.SendAsync(http, request, Provider, cancellationToken);
        var response = answer["Response"];
        if (response?["Error"] is { } error)
            throw new TranslationException(Provider, $"{error["Code"]}: {error["Message"]}");
        return (string?)response?["TargetText"]
               ?? throw new TranslationException(Provider, $"answer without TargetText: {answer.ToJsonString()}");
    }

    /// <summary>The TC3-HMAC-SHA256 Authorization header of one request (public: the test fake checks with it).</summary>
    public static string Authorization(string secretId, string secretKey, string host, string payload, long timestamp)
    {
        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        const string signedHeaders = "content-type;host;x-tc-action";
        var canonicalRequest = string.Join('\n', "POST", "/", "",
            $"content-type:{ContentType}\nhost:{host}\nx-tc-action:{Action.ToLowerInvariant()}\n",
            signedHeaders, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(payload))));
        var scope = $"{date}/{Service}/tc3_request";
        var stringToSign = $"{Algorithm}\n{timestamp}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("TC3" + secretKey), date), Service), "tc3_request");
        var signature = Hex(Hmac(key, stringToSign));
        return $"{Algorithm} Credential={secretId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    private static byte[] Hmac(byte[] key, string message) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
