using Akka.Actor;
using Akka.Hosting;
using Vtuber.Actors.History;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Memory;

public static class LongTermMemoryHosting
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The node's <see cref="LongTermMemoryActor"/> in the ActorRegistry, on the journal's database (the chat
    /// histories' connection settings). Started whether or not a character enables long_term_memory: a switch to
    /// one that does, and the /api/memories routes, need it; with no memories it holds nothing.
    /// </summary>
    public static AkkaConfigurationBuilder WithLongTermMemory(this AkkaConfigurationBuilder b, JournalOptions journal,
        int maxPerCharacter)
    {
        var (connectionString, providerName) = ChatHistoryHosting.SqlTarget(journal);
        var store = new MemoryStore(connectionString, providerName);
        return b.WithActors((system, registry) =>
        {
            var memories = system.ActorOf(LongTermMemoryActor.Props(store, maxPerCharacter), "long-term-memory");
            registry.Register<LongTermMemoryActor>(memories);
            // Memories embedded before the stop reach the table, so a restart keeps them.
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceStop, "drain-long-term-memory",
                () => memories.Ask<Akka.Done>(DrainMemories.Instance, DrainTimeout));
        });
    }
}
