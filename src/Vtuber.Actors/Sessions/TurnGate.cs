namespace Vtuber.Actors.Sessions;

/// <summary>
/// The id of the turn whose frames may still be sent. A kill switch stops a stream asynchronously, so frames of an
/// interrupted turn can still be queued after the interrupt; the writer drops every frame whose turn is not the
/// open one, which is what makes "nothing of a cancelled turn reaches the socket" hold.
/// Written by the session actor, read by the socket writer: hence Volatile.
/// </summary>
public sealed class TurnGate
{
    private const long NoTurn = -1;
    private long _open = NoTurn;
    private long _finished = NoTurn;

    public void Open(long turnId) => Volatile.Write(ref _open, turnId);

    public void Shut() => Volatile.Write(ref _open, NoTurn);

    /// <summary>
    /// A turn that ended normally (not cancelled): what of it is still queued (its last sentences, force-new-message,
    /// chain-end) is sent even once the next turn has opened. That next turn can open at once when the input does
    /// not wait for this client (the /proxy-ws queue lets the next text through on chain-end).
    /// </summary>
    public void Finish(long turnId) => Volatile.Write(ref _finished, turnId);

    public bool Admits(long turnId) =>
        turnId == 0 || turnId == Volatile.Read(ref _open) || turnId == Volatile.Read(ref _finished);
}
