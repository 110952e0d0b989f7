using System.Net.WebSockets;
using System.Threading.Channels;
using Vtuber.Actors.Sessions;

namespace Vtuber.Server.WebSockets;

/// <summary>
/// The single writer of one client socket. One FIFO carries every frame, so order is what the session enqueued.
/// Bounds and overflow policy:
/// - turn frames (audio etc.): at most <c>turnFrameLimit</c> waiting; the turn's stream then waits, which is the
///   backpressure from Kestrel's SendAsync all the way to the LLM;
/// - frames the session actor sends itself (it must never wait): at most <c>4 × turnFrameLimit</c> waiting; beyond
///   that the client has stopped reading, and the connection is closed (1008) rather than buffering without bound.
///   Most of these frames answer client messages, so the socket reader waits (<see cref="WaitForRoomAsync"/>) while
///   half that many are queued: a client that sends faster than it reads the answers is read more slowly, and
///   only one that does not read at all while its session keeps talking reaches the bound.
/// </summary>
public sealed class WebSocketConnection : IClientConnection, IDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<Item> _frames = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _turnSlots;
    private readonly int _controlLimit;
    private readonly CancellationTokenSource _closed = new();
    private int _pendingControl;
    private int _closeReasonSet;
    // Released by the writer when the reader waits for room and the control queue has drained to half its bound;
    // unbounded count, so a stale release only costs the reader one more check.
    private readonly SemaphoreSlim _controlRoom = new(0);
    private int _readerWaiting;

    /// <param name="gate">The gate of the session whose frames this socket carries: its own (default), or the shared
    /// proxy session's, which every /proxy-ws socket follows.</param>
    public WebSocketConnection(WebSocket socket, int turnFrameLimit, TurnGate? gate = null)
    {
        _socket = socket;
        Gate = gate ?? new TurnGate();
        _turnSlots = new SemaphoreSlim(turnFrameLimit, turnFrameLimit);
        _controlLimit = turnFrameLimit * 4;
    }

    public TurnGate Gate { get; }

    /// <summary>Cancelled when the server side gave up on this connection (session ended, client not reading).</summary>
    public CancellationToken Closed => _closed.Token;

    public bool TryEnqueue(OutboundFrame frame)
    {
        if (_closed.IsCancellationRequested)
        {
            return false;
        }
        if (Interlocked.Increment(ref _pendingControl) > _controlLimit)
        {
            Interlocked.Decrement(ref _pendingControl);
            Close("client is not reading: outbound queue full", WebSocketCloseStatus.PolicyViolation);
            return false;
        }
        if (_frames.Writer.TryWrite(new Item(frame, IsTurnFrame: false)))
        {
            return true;
        }
        Interlocked.Decrement(ref _pendingControl);
        return false;
    }

    /// <summary>Returns once at most half the bound of session frames is waiting for the socket.</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _pendingControl) > _controlLimit / 2)
        {
            Volatile.Write(ref _readerWaiting, 1);
            if (Volatile.Read(ref _pendingControl) <= _controlLimit / 2) // drained before the writer could see us waiting
            {
                Volatile.Write(ref _readerWaiting, 0);
                return;
            }
            await _controlRoom.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask<bool> EnqueueTurnFrameAsync(OutboundFrame frame, CancellationToken cancellationToken)
    {
        if (_closed.IsCancellationRequested)
        {
            return false;
        }
        try
        {
            // A free slot is the usual case; only a full queue needs a token that also ends with the connection
            // (a linked source per frame would be an allocation and a registration for every audio frame).
            if (!_turnSlots.Wait(0, CancellationToken.None))
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
                await _turnSlots.WaitAsync(linked.Token);
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false; // a turn still unwinding after its connection ended
        }
        if (_frames.Writer.TryWrite(new Item(frame, IsTurnFrame: true)))
        {
            return true;
        }
        _turnSlots.Release();
        return false;
    }

    public void Close(string reason) => Close(reason, WebSocketCloseStatus.NormalClosure);

    /// <summary>Ends the connection now: frames still queued are dropped, a send in progress is cancelled.</summary>
    public void Close(string reason, WebSocketCloseStatus status)
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }
        SetCloseReason(reason, status);
        _closed.Cancel();
        _frames.Writer.TryComplete();
    }

    /// <summary>
    /// Takes no more frames; the writer sends what is queued and then ends, and the close frame carries this status
    /// (the first reason given wins, also over a later <see cref="Close(string)"/>).
    /// </summary>
    public void CloseAfterQueuedFrames(string reason, WebSocketCloseStatus status)
    {
        SetCloseReason(reason, status);
        _frames.Writer.TryComplete();
    }

    private void SetCloseReason(string reason, WebSocketCloseStatus status)
    {
        if (Interlocked.Exchange(ref _closeReasonSet, 1) == 0)
        {
            CloseReason = reason;
            CloseStatus = status;
        }
    }

    public string? CloseReason { get; private set; }
    public WebSocketCloseStatus CloseStatus { get; private set; } = WebSocketCloseStatus.NormalClosure;

    /// <summary>Sends frames until the connection is closed. Frames of a turn that is no longer open are dropped here.</summary>
    public async Task RunWriterAsync()
    {
        await foreach (var item in _frames.Reader.ReadAllAsync())
        {
            try
            {
                if (!_closed.IsCancellationRequested && Gate.Admits(item.Frame.TurnId) && _socket.State == WebSocketState.Open)
                {
                    await _socket.SendAsync(item.Frame.Utf8Json, WebSocketMessageType.Text, endOfMessage: true, _closed.Token);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException
                                          or ObjectDisposedException)
            {
                // The client went away mid-send: that is the end of this connection, not an error to log.
                Close("socket closed while sending");
            }
            finally
            {
                if (item.IsTurnFrame)
                {
                    _turnSlots.Release();
                }
                else if (Interlocked.Decrement(ref _pendingControl) <= _controlLimit / 2 &&
                         Interlocked.Exchange(ref _readerWaiting, 0) == 1)
                {
                    _controlRoom.Release();
                }
            }
        }
    }

    /// <summary>After the writer finished; late turn frames then see a closed connection.</summary>
    public void Dispose()
    {
        Close("disposed");
        _closed.Dispose();
        _turnSlots.Dispose();
        _controlRoom.Dispose();
    }

    private readonly record struct Item(OutboundFrame Frame, bool IsTurnFrame);
}
