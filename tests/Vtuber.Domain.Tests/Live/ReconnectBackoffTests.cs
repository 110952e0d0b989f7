using Vtuber.Domain.Live;

namespace Vtuber.Domain.Tests.Live;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void The_wait_doubles_up_to_the_cap_and_a_working_connection_starts_over()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

        Assert.Equal([1, 2, 4, 5, 5], Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalSeconds));
        backoff.Reset();
        Assert.Equal(1, backoff.Next().TotalSeconds);
    }
}
