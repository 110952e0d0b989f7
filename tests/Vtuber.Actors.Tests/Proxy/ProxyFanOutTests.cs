using System.Collections.Concurrent;
using Akka.TestKit.Xunit2;
using Vtuber.Actors.Proxy;
using Vtuber.Actors.Sessions;
using Vtuber.Protocol;

namespace Vtuber.Actors.Tests.Proxy;

/// <summary>The shared session's connection: every member gets every frame; one member cannot stall the others.</summary>
public sealed class ProxyFanOutTests : TestKit
{
    private sealed class Member(bool stuck) : IClientConnection
    {
        public ConcurrentQueue<OutboundFrame> Frames { get; } = new();
        public string? ClosedBecause { get; private set; }
        public TurnGate Gate { get; } = new();

        public bool TryEnqueue(OutboundFrame frame)
        {
            Frames.Enqueue(frame);
            return true;
        }

        public async ValueTask<bool> EnqueueTurnFrameAsync(OutboundFrame frame, CancellationToken cancellationToken)
        {
            if (stuck) await Task.Delay(Timeout.Infinite, cancellationToken); // a client that stopped reading
            Frames.Enqueue(frame);
            return true;
        }

        public void Close(string reason) => ClosedBecause = reason;
    }

    [Fact]
    public async Task A_member_that_holds_up_the_reply_is_disconnected_and_the_others_get_the_frame()
    {
        var stuck = new Member(stuck: true);
        var reading = new Member(stuck: false);
        var fanOut = new ProxyFanOut(new TurnGate(), TestActor, TimeSpan.FromMilliseconds(200));
        fanOut.SetMembers([stuck, reading]);
        var audio = new OutboundFrame(7, "{\"type\":\"audio\"}"u8.ToArray());

        Assert.True(await fanOut.EnqueueTurnFrameAsync(audio, CancellationToken.None));

        Assert.Equal([audio], reading.Frames);
        Assert.Empty(stuck.Frames);
        Assert.Contains("member_send_timeout_seconds", stuck.ClosedBecause);
        Assert.Null(reading.ClosedBecause);
    }

    [Fact]
    public void Chain_start_and_end_reach_the_hub_and_every_member()
    {
        var members = new[] { new Member(false), new Member(false) };
        var fanOut = new ProxyFanOut(new TurnGate(), TestActor, TimeSpan.FromSeconds(5));
        fanOut.SetMembers(members);

        fanOut.TryEnqueue(new OutboundFrame(3, ServerMessageJson.Serialize(new Control(Control.ConversationChainStart))));
        fanOut.TryEnqueue(new OutboundFrame(3, ServerMessageJson.Serialize(new FullText(FullText.Thinking))));
        fanOut.TryEnqueue(new OutboundFrame(3, ServerMessageJson.Serialize(new Control(Control.ConversationChainEnd))));

        Assert.Same(fanOut, ExpectMsg<ProxyHub.ConversationStarted>().Source);
        Assert.Same(fanOut, ExpectMsg<ProxyHub.ConversationEnded>().Source);
        Assert.All(members, m => Assert.Equal(3, m.Frames.Count));

        // A stopped session's connection takes nothing more; its members stay with the hub.
        fanOut.Close("session ended");
        Assert.False(fanOut.TryEnqueue(new OutboundFrame(0, ServerMessageJson.Serialize(new HeartbeatAck()))));
        Assert.All(members, m => Assert.Null(m.ClosedBecause));
    }
}
