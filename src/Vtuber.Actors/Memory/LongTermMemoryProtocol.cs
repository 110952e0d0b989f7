using Vtuber.Agents.Memory;

namespace Vtuber.Actors.Memory;

// The public protocol of the long-term memory actor (ActorRegistry key: LongTermMemoryActor), one per node.

/// <summary>Stores a finished turn's memory (its vector as the provider gave it). Not answered.</summary>
public sealed record StoreMemory(string ConfUid, string HistoryUid, int Record, DateTimeOffset Created, string Text,
    float[] Vector);

/// <summary>The character's memories most similar to the vector, from histories other than ExcludeHistoryUid.</summary>
public sealed record RecallMemories(string ConfUid, string ExcludeHistoryUid, float[] Vector, int TopK, double MinScore);

public sealed record MemoriesRecalled(IReadOnlyList<RecalledMemory> Memories);

public sealed record ListMemories(string ConfUid);

/// <summary>The character's memories, oldest first.</summary>
public sealed record MemoryList(string ConfUid, IReadOnlyList<LongTermMemory> Memories);

/// <summary>Removes one memory; answered with MemoryForgotten once it is gone from the database too.</summary>
public sealed record ForgetMemory(string Id);

public sealed record MemoryForgotten(string Id, bool Found);

/// <summary>A history was deleted: its memories go too. Answered with HistoryMemoriesForgotten.</summary>
public sealed record ForgetHistoryMemories(string ConfUid, string HistoryUid);

public sealed record HistoryMemoriesForgotten(string ConfUid, string HistoryUid, int Count);

/// <summary>Replies Akka.Done once every write queued so far is in the database (CoordinatedShutdown).</summary>
public sealed record DrainMemories
{
    public static readonly DrainMemories Instance = new();
}
