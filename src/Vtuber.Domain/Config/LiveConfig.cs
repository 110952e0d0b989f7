namespace Vtuber.Domain.Config;

/// <summary>
/// system_config.proxy (ours): the shared session behind /proxy-ws (olv-protocol 9.3), on when enable_proxy is true.
/// </summary>
public sealed record ProxyOptions
{
    /// <summary>
    /// text-input waiting for the shared conversation to be free. Beyond it a member's input is refused with an error
    /// frame and a live comment is dropped (newest dropped: what waits is already older than what a viewer sees).
    /// </summary>
    public int MaxQueuedInputs { get; init; } = 16;

    /// <summary>
    /// How long one proxy client may hold up the shared turn (its socket not taking an audio frame); past it that
    /// client is disconnected and the others go on.
    /// </summary>
    public double MemberSendTimeoutSeconds { get; init; } = 10;
}

/// <summary>
/// live_config: the live-chat bridges that feed viewers' comments into the /proxy-ws session (olv-protocol 9.2; in the
/// server instead of OLV's separate run_bilibili_live.py). A bridge runs only when its enabled key is true (ours: OLV's
/// template lists a room id, and a bridge must not start because a template was copied).
/// </summary>
public sealed record LiveConfig
{
    public BilibiliLiveOptions Bilibili { get; init; } = new();
    public TwitchLiveOptions Twitch { get; init; } = new();

    /// <summary>A bridge that cannot connect (or lost its connection) waits this long first, doubling per failure…</summary>
    public double ReconnectMinSeconds { get; init; } = 1;

    /// <summary>…up to this long; a connection that worked starts again from <see cref="ReconnectMinSeconds"/>.</summary>
    public double ReconnectMaxSeconds { get; init; } = 60;

    public bool AnyBridge => Bilibili.Enabled || Twitch.Enabled;
}

public sealed record BilibiliLiveOptions
{
    public bool Enabled { get; init; }

    /// <summary>Rooms by the number in their URL (a short id is resolved through room_init); one connection each.</summary>
    public IReadOnlyList<long> RoomIds { get; init; } = [];

    /// <summary>The SESSDATA cookie of a logged-in account (optional; without it Bilibili hides viewers' names).</summary>
    public string Sessdata { get; init; } = "";

    /// <summary>Where room_init and getDanmuInfo are asked (ours, so tests can stand in for Bilibili).</summary>
    public string ApiBaseUrl { get; init; } = "https://api.live.bilibili.com";

    /// <summary>The danmaku WebSocket used when getDanmuInfo names no host (ours, as blivedm's fallback).</summary>
    public string DanmakuUrl { get; init; } = "wss://broadcastlv.chat.bilibili.com/sub";

    /// <summary>The protocol's heartbeat; Bilibili closes a connection silent for about 70 s.</summary>
    public double HeartbeatSeconds { get; init; } = 30;
}

public sealed record TwitchLiveOptions
{
    public bool Enabled { get; init; }

    /// <summary>Channel logins, lower case without '#': read anonymously (nick justinfan…), never written to.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>Twitch chat's IRC-over-WebSocket endpoint (ours, so tests can stand in for Twitch).</summary>
    public string IrcUrl { get; init; } = "wss://irc-ws.chat.twitch.tv:443";
}
