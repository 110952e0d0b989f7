using System.Net;
using System.Security.Cryptography;
using System.Text;
using Vtuber.Domain.Config;

namespace Vtuber.Server.Security;

/// <summary>The answer to one request: go on, or refuse with this status and reason.</summary>
public sealed record AccessDecision(int Status, string? Reason)
{
    public static readonly AccessDecision Allowed = new(StatusCodes.Status200OK, null);

    public bool IsAllowed => Reason is null;
}

/// <summary>
/// Who may use the WebSocket and the /api routes (system_config.security.access_token). With a token, both need it
/// (the socket as ?token=, because a browser cannot set headers on a WebSocket; /api as a Bearer token); without
/// one, /api answers only this machine: it reads every chat history and the config.
/// </summary>
public sealed class AccessPolicy
{
    public const string TokenKey = "system_config.security.access_token";

    private readonly byte[]? _tokenHash;

    public AccessPolicy(SecurityOptions options) =>
        _tokenHash = options.AccessToken is { Length: > 0 } token ? Hash(token) : null;

    /// <param name="token">The ?token= of the upgrade request; null when absent.</param>
    public AccessDecision ForSocket(string? token) =>
        _tokenHash is null || Matches(token)
            ? AccessDecision.Allowed
            : new(StatusCodes.Status401Unauthorized,
                token is null ? "this server needs ?token=<access token> on the WebSocket URL" : "wrong token");

    /// <param name="remote">The client's address; null for a connection without one (a Unix socket: this machine).</param>
    /// <param name="authorization">The Authorization header; null when absent.</param>
    public AccessDecision ForApi(IPAddress? remote, string? authorization)
    {
        if (_tokenHash is not null)
        {
            const string scheme = "Bearer ";
            if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                return new(StatusCodes.Status401Unauthorized, "this server needs Authorization: Bearer <access token>");
            return Matches(authorization[scheme.Length..].Trim())
                ? AccessDecision.Allowed
                : new(StatusCodes.Status401Unauthorized, "wrong token");
        }
        return IsThisMachine(remote)
            ? AccessDecision.Allowed
            : new(StatusCodes.Status403Forbidden,
                $"the /api routes answer only this machine; set {TokenKey} to use them from elsewhere");
    }

    /// <summary>
    /// The operator pages (/dashboard): like /api, but a browser opening a page cannot send a header, so the token
    /// comes as ?token= (the page then sends it as a Bearer token to /api itself).
    /// </summary>
    /// <param name="token">The ?token= of the request; null when absent.</param>
    public AccessDecision ForOperatorPage(IPAddress? remote, string? token)
    {
        if (_tokenHash is not null)
        {
            return Matches(token)
                ? AccessDecision.Allowed
                : new(StatusCodes.Status401Unauthorized,
                    token is null ? "this page needs ?token=<access token> on its URL" : "wrong token");
        }
        return IsThisMachine(remote)
            ? AccessDecision.Allowed
            : new(StatusCodes.Status403Forbidden,
                $"the operator pages answer only this machine; set {TokenKey} to use them from elsewhere");
    }

    public static bool IsThisMachine(IPAddress? remote) =>
        remote is null || IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    // Comparing hashes in constant time: neither the token's characters nor its length show in the answer time.
    private bool Matches(string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(Hash(token), _tokenHash);

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
