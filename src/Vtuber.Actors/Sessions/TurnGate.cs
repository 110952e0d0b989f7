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

    public void Open(long turnId) => Volatile.Write(ref _open, turnId);

    public void Shut() => Volatile.Write(ref _open, NoTurn);

    public bool Admits(long turnId) => turnId == 0 || turnId == Volatile.Read(ref _open);
}
