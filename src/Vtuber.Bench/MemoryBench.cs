using System.Diagnostics;
using Akka.Actor;
using Microsoft.Extensions.AI;
using Vtuber.Actors.Memory;
using Vtuber.Agents.Memory;
using Vtuber.Domain.Config;
using Vtuber.Testing;

namespace Vtuber.Bench;

/// <summary>
/// What long-term recall puts in front of a turn's first audio (issue 14): the exact cosine search over one
/// character's memories (MemoryIndex, 384 dimensions like MiniLM), the round trip to the memory actor that runs it,
/// and the query's embedding per provider (the embedded MiniLM and the OpenAI client against the loopback fake).
/// Baseline: the same search as a plain scalar loop (no SIMD) over the same vectors, in the same run.
/// </summary>
public static class MemoryBench
{
    private const int Dimensions = MiniLmEmbeddingGenerator.Dimensions;
    private const string Query = "what is my cat called";

    public static async Task RunAsync(int memories, int queries)
    {
        var random = new Random(14);
        var index = new MemoryIndex(int.MaxValue);
        for (var i = 0; i < memories; i++)
        {
            var memory = new LongTermMemory($"m{i}", "mao", $"h{i % 50}", i, DateTimeOffset.UnixEpoch, "text", RandomUnit(random));
            index.Add(memory);
        }
        var vectors = Enumerable.Range(0, queries).Select(_ => RandomUnit(random)).ToList();
        var search = Time(queries, i => index.Search("mao", "h0", vectors[i], 3, 0.3));
        var all = index.Of("mao");
        var baseline = Time(queries, i => ScalarBest(all, vectors[i]));
        Console.WriteLine($"search over {memories:N0} memories ({Dimensions} dims, top 3): p50 {P(search, 50):0.000} ms, " +
                          $"p95 {P(search, 95):0.000} ms; scalar loop (baseline) p50 {P(baseline, 50):0.000} ms; " +
                          $"search/baseline {P(search, 50) / P(baseline, 50):0.00}");

        // The actor's round trip (mailbox, Ask) with the table on a temporary SQLite file holding one memory.
        var db = Path.Combine(Path.GetTempPath(), $"vtuber-memory-bench-{Guid.NewGuid():N}.db");
        var system = ActorSystem.Create("memory-bench");
        try
        {
            var actor = system.ActorOf(LongTermMemoryActor.Props(new MemoryStore($"Data Source={db}", LinqToDB.ProviderName.SQLiteMS), 100));
            actor.Tell(new StoreMemory("mao", "h1", 0, DateTimeOffset.Now, "text", vectors[0]));
            await actor.Ask<Akka.Done>(DrainMemories.Instance, TimeSpan.FromSeconds(30));
            var asks = new List<double>();
            for (var i = 0; i < queries; i++)
            {
                var clock = Stopwatch.StartNew();
                await actor.Ask<MemoriesRecalled>(new RecallMemories("mao", "h0", vectors[i], 3, 0.3), TimeSpan.FromSeconds(5));
                asks.Add(clock.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"memory actor round trip (one memory): p50 {P(asks, 50):0.000} ms, p95 {P(asks, 95):0.000} ms");
        }
        finally
        {
            await system.Terminate();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(db);
        }

        using (var embedded = new MiniLmEmbeddingGenerator())
        {
            await Report("embedded (all-MiniLM-L6-v2, 1 thread)", embedded, queries);
        }
        await using var fake = await FakeEmbeddingServer.StartAsync();
        fake.Dimensions = Dimensions;
        using var http = new HttpClient();
        using var openai = EmbeddingProviders.Create(new EmbeddingConfig
        {
            Provider = LongTermMemoryConfig.OpenAi, BaseUrl = fake.BaseUrl.ToString(), Model = "fake-embedding",
        }, http);
        await Report("openai (loopback fake /v1/embeddings)", openai, queries);
    }

    private static async Task Report(string provider, IEmbeddingGenerator<string, Embedding<float>> generator, int queries)
    {
        await generator.GenerateVectorAsync(Query); // the first call loads the model / opens the connection
        var times = new List<double>();
        for (var i = 0; i < Math.Min(queries, 200); i++)
        {
            var clock = Stopwatch.StartNew();
            await generator.GenerateVectorAsync(Query);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"query embedding, {provider}: p50 {P(times, 50):0.00} ms, p95 {P(times, 95):0.00} ms");
    }

    private static float ScalarBest(IReadOnlyList<LongTermMemory> memories, float[] query)
    {
        var best = float.MinValue;
        foreach (var memory in memories)
        {
            var dot = 0f;
            for (var d = 0; d < query.Length; d++)
            {
                dot += memory.Vector[d] * query[d];
            }
            best = Math.Max(best, dot);
        }
        return best;
    }

    private static List<double> Time(int n, Action<int> run)
    {
        for (var i = 0; i < Math.Min(n, 100); i++)
        {
            run(i); // warm-up (JIT, caches)
        }
        var times = new List<double>(n);
        for (var i = 0; i < n; i++)
        {
            var clock = Stopwatch.StartNew();
            run(i);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, sorted.Count * percentile / 100)];
    }

    private static float[] RandomUnit(Random random)
    {
        var v = new float[Dimensions];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return MemoryIndex.Normalized(v);
    }
}
