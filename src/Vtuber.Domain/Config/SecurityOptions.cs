using Vtuber.Domain.Security;

namespace Vtuber.Domain.Config;

/// <summary>system_config.security (ours): who may use the server besides the pages it serves itself.</summary>
public sealed record SecurityOptions
{
    /// <summary>This machine's pages on any port, and the desktop app (Electron: file pages, app:// pages).</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedOrigins =
    [
        "http://localhost:*", "https://localhost:*", "http://127.0.0.1:*", "https://127.0.0.1:*",
        "http://[::1]:*", "https://[::1]:*", "null", "file://", "app://",
    ];

    /// <summary>Origin patterns (<see cref="OriginPattern"/>); the server's own origin is allowed besides.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = DefaultAllowedOrigins;

    /// <summary>When set: /client-ws needs ?token=, /api/* needs Authorization: Bearer. A secret (masked).</summary>
    public string? AccessToken { get; init; }
}
