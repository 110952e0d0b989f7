namespace Vtuber.Domain.Config;

/// <summary>
/// Which config values are secrets (olv-protocol 5.5), decided by the key's name so that sections added later are
/// covered without a list to maintain: a key ending in <c>key</c> (llm_api_key, api_key, secret_key),
/// <c>token</c>, <c>secret</c>, <c>secret_id</c>, <c>password</c>, <c>sessdata</c> (bilibili cookie) or
/// <c>connection_string</c> (may hold a database password). Secrets leave the server only as <see cref="Mask"/>.
/// </summary>
public static class ConfigSecrets
{
    public const string Mask = "***";

    private static readonly string[] SecretSuffixes =
        ["key", "token", "secret", "secret_id", "password", "sessdata", "connection_string"];

    /// <summary>True when a key (a bare name or the last part of a dotted key path) names a secret.</summary>
    public static bool IsSecret(string key)
    {
        var name = key[(key.LastIndexOf('.') + 1)..];
        return SecretSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The value as it may be shown: masked when the key is a secret and a value is set.</summary>
    public static string? Shown(string keyPath, string? value) =>
        value is { Length: > 0 } && IsSecret(keyPath) ? Mask : value;

    /// <summary>A config error's message with the value masked when it belongs to a secret key.</summary>
    public static string Describe(ConfigException e) =>
        new ConfigException(e.File, e.KeyPath, Shown(e.KeyPath, e.Value), e.Expected).Message;
}
