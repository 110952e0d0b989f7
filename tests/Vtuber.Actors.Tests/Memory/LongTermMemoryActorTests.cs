using Akka;
using Akka.Actor;
using Vtuber.Actors.History;
using Vtuber.Actors.Memory;
using Vtuber.Actors.Tests.History;

namespace Vtuber.Actors.Tests.Memory;

/// <summary>The memory actor on the journal's own database: SQLite, and PostgreSQL when VTUBER_TEST_POSTGRES is set.</summary>
public sealed class LongTermMemoryActorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static MemoryStore Store(JournalUnderTest journal)
    {
        var (connectionString, providerName) = ChatHistoryHosting.SqlTarget(journal.Options);
        return new MemoryStore(connectionString, providerName);
    }

    private static long Rows(JournalUnderTest journal)
    {
        using var connection = journal.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM long_term_memories";
        return Convert.ToInt64(count.ExecuteScalar());
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Memories_survive_a_restart_are_capped_and_go_with_their_history(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        var system = ActorSystem.Create("memory-test");
        try
        {
            var memories = system.ActorOf(LongTermMemoryActor.Props(Store(journal), maxPerCharacter: 2));
            memories.Tell(new StoreMemory("mao", "h1", 0, DateTimeOffset.Parse("2026-02-11T13:14:31+01:00"), "cat Biscuit", [1, 0, 0]));
            memories.Tell(new StoreMemory("mao", "h2", 0, DateTimeOffset.Now, "refused", [float.NaN, 0, 0]));
            memories.Tell(new StoreMemory("mao", "h2", 0, DateTimeOffset.Now, "refused", [1, 0]));
            memories.Tell(new StoreMemory("mao", "h2", 2, DateTimeOffset.Now, "dog Rex", [0, 3, 0]));
            memories.Tell(new StoreMemory("grumble", "h3", 0, DateTimeOffset.Now, "tea", [0, 0, 1]));
            await memories.Ask<Done>(DrainMemories.Instance, Wait);
            Assert.Equal(3, Rows(journal));
            await memories.GracefulStop(Wait);

            // A new incarnation reads the table: the index is rebuilt from the database.
            var restarted = system.ActorOf(LongTermMemoryActor.Props(Store(journal), maxPerCharacter: 2));
            var listed = await restarted.Ask<MemoryList>(new ListMemories("mao"), Wait);
            Assert.Equal(["cat Biscuit", "dog Rex"], listed.Memories.Select(m => m.Text));
            Assert.Equal(DateTimeOffset.Parse("2026-02-11T13:14:31+01:00"), listed.Memories[0].Created);
            Assert.Equal(TimeSpan.FromHours(1), listed.Memories[0].Created.Offset);
            var recalled = await restarted.Ask<MemoriesRecalled>(new RecallMemories("mao", "h9", [0, 1, 0], 3, 0.3), Wait);
            Assert.Equal("dog Rex", Assert.Single(recalled.Memories).Memory.Text);

            // Over the cap of two, the oldest goes, from the table too.
            restarted.Tell(new StoreMemory("mao", "h2", 4, DateTimeOffset.Now, "bird Kiwi", [0, 1, 1]));
            await restarted.Ask<Done>(DrainMemories.Instance, Wait);
            Assert.Equal(["dog Rex", "bird Kiwi"],
                (await restarted.Ask<MemoryList>(new ListMemories("mao"), Wait)).Memories.Select(m => m.Text));
            Assert.Equal(3, Rows(journal));

            var forgotten = await restarted.Ask<HistoryMemoriesForgotten>(new ForgetHistoryMemories("mao", "h2"), Wait);
            Assert.Equal(2, forgotten.Count);
            Assert.Equal(1, Rows(journal)); // grumble's
            Assert.Empty((await restarted.Ask<MemoryList>(new ListMemories("mao"), Wait)).Memories);

            // A turn of the deleted history that was still being embedded arrives late: it is not stored.
            restarted.Tell(new StoreMemory("mao", "h2", 6, DateTimeOffset.Now, "late", [1, 1, 1]));
            await restarted.Ask<Done>(DrainMemories.Instance, Wait);
            Assert.Empty((await restarted.Ask<MemoryList>(new ListMemories("mao"), Wait)).Memories);
            Assert.Equal(1, Rows(journal));
        }
        finally
        {
            await system.Terminate();
        }
    }
}
