using Akka.Actor;
using Akka.TestKit;

namespace Vtuber.Actors.Tests.History;

/// <summary>Sends requests to the façade from a TestKit probe and expects one reply of the given type.</summary>
public sealed class HistoryRequests(HistoryHost host)
{
    // First recovery pays for schema auto-init and linq2db warm-up (1-2 s, more on a busy machine).
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    public Akka.TestKit.Xunit2.TestKit Kit => host.Kit;

    public async Task<T> Send<T>(object request)
    {
        var probe = host.Kit.CreateTestProbe();
        host.Histories.Tell(request, probe.Ref);
        return await probe.ExpectMsgAsync<T>(ReplyTimeout);
    }
}
