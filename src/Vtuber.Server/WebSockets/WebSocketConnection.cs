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
/// </summary>
public sealed class WebSocketConnection : IClientConnection, IDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<Item> _frames = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _turnSlots;
    private readonly int _controlLimit;
    private readonly CancellationTokenSource _closed = new();
    private int _pendingControl;

    public WebSocketConnection(WebSocket socket, int turnFrameLimit)
    {
        _socket = socket;
        _turnSlots = new SemaphoreSlim(turnFrameLimit, turnFrameLimit);
        _controlLimit = turnFrameLimit * 4;
    }

    public TurnGate Gate { get; } = new();

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

    public async ValueTask<bool> EnqueueTurnFrameAsync(OutboundFrame frame, CancellationToken cancellationToken)
    {
        if (_closed.IsCancellationRequested)
        {
            return false;
        }
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
            await _turnSlots.WaitAsync(linked.Token);
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

    public void Close(string reason, WebSocketCloseStatus status)
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }
        CloseReason = reason;
        CloseStatus = status;
        _closed.Cancel();
        _frames.Writer.TryComplete();
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
                if (Gate.Admits(item.Frame.TurnId) && _socket.State == WebSocketState.Open)
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
                else
                {
                    Interlocked.Decrement(ref _pendingControl);
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
    }

    private readonly record struct Item(OutboundFrame Frame, bool IsTurnFrame);
}
