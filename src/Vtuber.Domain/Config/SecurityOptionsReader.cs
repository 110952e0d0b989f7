using Vtuber.Domain.Security;

namespace Vtuber.Domain.Config;

/// <summary>Reads system_config.security.</summary>
internal static class SecurityOptionsReader
{
    public const int MinTokenLength = 16;

    public static SecurityOptions Read(YamlSection s)
    {
        var d = new SecurityOptions();
        var origins = s.ListOrCommaSeparated("allowed_origins");
        for (var i = 0; i < (origins?.Count ?? 0); i++)
        {
            if (OriginPattern.Parse(origins![i]) is null)
                throw new ConfigException(s.File, $"{s.KeyPath("allowed_origins")}[{i}]", origins[i], OriginPattern.ExpectedForm);
        }
        var token = s.String("access_token");
        // The token travels in a URL typed into the frontend's settings: URL-safe characters need no escaping there.
        if (token is { Length: > 0 } && (token.Length < MinTokenLength ||
                                         !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')))
            throw s.Invalid("access_token", token,
                $"at least {MinTokenLength} characters of A-Z a-z 0-9 - . _ ~ (e.g. the output of openssl rand -hex 32), or empty for none");
        return new SecurityOptions
        {
            AllowedOrigins = origins ?? d.AllowedOrigins,
            AccessToken = token is { Length: > 0 } ? token : null,
        };
    }
}
