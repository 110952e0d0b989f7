using Vtuber.Actors.Characters;
using Vtuber.Actors.Groups;

namespace Vtuber.Actors.Sessions;

/// <summary>
/// What survives a session's restart in place: written by the crashing incarnation in PreRestart, read by the next
/// one in its constructor. One per session, created by the supervisor and captured by the session's Props; only
/// the session's own incarnations touch it, one after the other.
/// </summary>
public sealed class SessionResume
{
    public int Restarts { get; set; }
    public string Reason { get; set; } = "";
    public CharacterServices? Character { get; set; }
    public string? CharacterFile { get; set; }
    public string HistoryUid { get; set; } = "";
    public long LastTurnId { get; set; }
    public bool TurnWasRunning { get; set; }
    public GroupMembership Group { get; set; } = GroupMembership.Alone;
}
