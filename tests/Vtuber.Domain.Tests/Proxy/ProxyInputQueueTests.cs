using Vtuber.Domain.Proxy;

namespace Vtuber.Domain.Tests.Proxy;

public sealed class ProxyInputQueueTests
{
    [Fact]
    public void Inputs_go_one_at_a_time_in_order_while_no_conversation_runs()
    {
        var queue = new ProxyInputQueue<string>(4);
        Assert.True(queue.Offer("a"));
        Assert.True(queue.Offer("b"));

        Assert.True(queue.TryTakeNext(out var first));
        Assert.Equal("a", first);
        Assert.True(queue.ConversationActive);
        Assert.False(queue.TryTakeNext(out _));

        queue.ConversationEnded();
        Assert.True(queue.TryTakeNext(out var second));
        Assert.Equal("b", second);
        queue.ConversationEnded();
        Assert.False(queue.TryTakeNext(out _));
        Assert.False(queue.ConversationActive);
    }

    [Fact]
    public void A_full_queue_refuses_the_newest_and_keeps_what_waits()
    {
        var queue = new ProxyInputQueue<int>(2);
        queue.ConversationStarted();

        Assert.True(queue.Offer(1));
        Assert.True(queue.Offer(2));
        Assert.False(queue.Offer(3));
        Assert.Equal(2, queue.Count);

        queue.ConversationEnded();
        Assert.True(queue.TryTakeNext(out var next));
        Assert.Equal(1, next);
        Assert.True(queue.Offer(3));
    }

    [Fact]
    public void A_turn_the_session_began_itself_holds_the_queue_until_it_ends()
    {
        var queue = new ProxyInputQueue<string>(4);
        queue.ConversationStarted();
        queue.Offer("waits");

        Assert.False(queue.TryTakeNext(out _));
        queue.ConversationEnded();
        Assert.True(queue.TryTakeNext(out _));
    }
}
