namespace Vtuber.Actors.Sessions;

/// <summary>A serialized server message on its way to one client. TurnId 0: not part of a turn (always delivered).</summary>
public sealed record OutboundFrame(long TurnId, ReadOnlyMemory<byte> Utf8Json);

/// <summary>
/// The one writer of a client's socket, as seen by its session. Frames leave in the order they were enqueued.
/// </summary>
public interface IClientConnection
{
    /// <summary>Decides which turn's frames may still reach the socket; checked again right before each send.</summary>
    TurnGate Gate { get; }

    /// <summary>
    /// For frames the session actor sends itself (replies, turn boundaries): never waits. Returns false when the
    /// connection is closed, or was closed because the client stopped reading (see the implementation's policy).
    /// </summary>
    bool TryEnqueue(OutboundFrame frame);

    /// <summary>
    /// For frames a turn's stream produces: waits while the client is behind, which backpressures the turn
    /// (LLM and TTS stop being pulled). Returns false once the connection is closed.
    /// </summary>
    ValueTask<bool> EnqueueTurnFrameAsync(OutboundFrame frame, CancellationToken cancellationToken);

    /// <summary>Closes the socket (idempotent); used when the session ends for any reason.</summary>
    void Close(string reason);
}
