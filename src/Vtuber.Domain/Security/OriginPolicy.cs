namespace Vtuber.Domain.Security;

/// <summary>
/// Which browser origins may use the server (system_config.security.allowed_origins). A browser sends Origin on
/// every WebSocket handshake and cross-origin request, so checking it keeps other websites from talking to a
/// server on the user's machine; a request without Origin is not from a web page's script (a tool, a test).
/// The server's own origin (the page it served itself) is always allowed.
/// </summary>
public sealed class OriginPolicy
{
    private readonly IReadOnlyList<OriginPattern> _allowed;

    public OriginPolicy(IEnumerable<string> allowedOrigins) =>
        _allowed = allowedOrigins.Select(value => OriginPattern.Parse(value)
            ?? throw new ArgumentException($"'{value}' is not {OriginPattern.ExpectedForm}", nameof(allowedOrigins))).ToList();

    /// <param name="originHeader">The request's Origin header; null or empty when it has none.</param>
    /// <param name="ownOrigin">scheme://host[:port] of the request itself (its Host header); null when unknown.</param>
    public bool Allows(string? originHeader, string? ownOrigin)
    {
        if (string.IsNullOrEmpty(originHeader)) return true;
        if (WebOrigin.Parse(originHeader) is not { } origin) return false;
        return IsListed(origin) || (!origin.IsOpaque && WebOrigin.Parse(ownOrigin) == origin);
    }

    /// <summary>True when an entry of allowed_origins matches (the CORS headers are given to these).</summary>
    public bool IsListed(string originHeader) => WebOrigin.Parse(originHeader) is { } origin && IsListed(origin);

    private bool IsListed(WebOrigin origin) => _allowed.Any(pattern => pattern.Matches(origin));
}
