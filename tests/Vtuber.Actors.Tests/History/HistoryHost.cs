using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit.Xunit2;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Vtuber.Actors.History;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Tests.History;

/// <summary>
/// An actor system built exactly as the server builds it (AddAkka + WithChatHistories) on a journal of its own
/// (<see cref="JournalUnderTest"/>), so the tests exercise the production composition. Extra HOCON can swap in the
/// TestJournal.
/// </summary>
public sealed class HistoryHost : IAsyncDisposable
{
    private readonly IHost _host;

    private HistoryHost(IHost host, ActorSystem system, IActorRef histories)
    {
        _host = host;
        System = system;
        Histories = histories;
        Kit = new TestKit(system);
    }

    public ActorSystem System { get; }
    public IActorRef Histories { get; }

    /// <summary>Probes and awaits on this host's actor system.</summary>
    public TestKit Kit { get; }

    /// <summary>Snapshots every journal.SnapshotInterval events, as the server does.</summary>
    public static async Task<HistoryHost> StartAsync(JournalOptions journal, TimeSpan? idleTimeout = null,
        string? overrideHocon = null)
    {
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("history-test", (b, _) =>
            {
                b.WithChatHistories(journal, idleTimeout: idleTimeout);
                if (overrideHocon is not null)
                {
                    b.AddHocon(overrideHocon, HoconAddMode.Prepend);
                }
            }))
            .Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        var histories = await ActorRegistry.For(system).GetAsync<ChatHistories>();
        return new HistoryHost(host, system, histories);
    }

    public async ValueTask DisposeAsync()
    {
        // Stop the host first so persistence shuts down gracefully; the kit then finds the system terminated.
        await _host.StopAsync();
        _host.Dispose();
        Kit.Dispose();
        // Let the next system (or the clean-up) open the journal without pooled connections of this one.
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }
}
