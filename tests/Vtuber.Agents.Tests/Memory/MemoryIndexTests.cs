using Vtuber.Agents.Memory;

namespace Vtuber.Agents.Tests.Memory;

public sealed class MemoryIndexTests
{
    private static int _ids;

    private static LongTermMemory Memory(string confUid, string historyUid, params float[] vector) =>
        new($"m{Interlocked.Increment(ref _ids)}", confUid, historyUid, 0, DateTimeOffset.UnixEpoch, "text",
            MemoryIndex.Normalized(vector));

    [Fact]
    public void Search_ranks_by_cosine_leaves_out_the_current_history_other_characters_and_low_scores()
    {
        var index = new MemoryIndex(100);
        var close = Memory("mao", "h1", 1, 0.1f, 0);
        var closer = Memory("mao", "h2", 1, 0, 0);
        var own = Memory("mao", "current", 1, 0, 0);
        var orthogonal = Memory("mao", "h1", 0, 1, 0);
        var otherCharacter = Memory("grumble", "h9", 1, 0, 0);
        foreach (var m in new[] { close, closer, own, orthogonal, otherCharacter })
        {
            index.Add(m);
        }

        var found = index.Search("mao", "current", MemoryIndex.Normalized([2, 0, 0]), topK: 3, minScore: 0.3);

        Assert.Equal([closer.Id, close.Id], found.Select(f => f.Memory.Id));
        Assert.Equal(1f, found[0].Score, 5);
        Assert.Single(index.Search("mao", "current", MemoryIndex.Normalized([1, 0, 0]), topK: 1, minScore: 0.3));
    }

    [Fact]
    public void The_oldest_memories_are_evicted_beyond_the_cap()
    {
        var index = new MemoryIndex(2);
        var first = Memory("mao", "h", 1, 0);
        index.Add(first);
        index.Add(Memory("mao", "h", 0, 1));
        Assert.Empty(index.Add(Memory("grumble", "h", 1, 1))); // another character's cap

        var evicted = index.Add(Memory("mao", "h", 1, 1));

        Assert.Equal([first.Id], evicted.Select(e => e.Id));
        Assert.Equal(2, index.Count("mao"));
    }

    [Theory]
    [InlineData(new[] { float.NaN, 1f, 0f }, "NaN")]
    [InlineData(new[] { float.PositiveInfinity, 1f, 0f }, "NaN or infinite")]
    [InlineData(new[] { 0f, 0f, 0f }, "zero length")]
    [InlineData(new[] { 1f, 0f }, "2 dimensions, the character's memories have 3")]
    [InlineData(new float[0], "empty")]
    public void Wrong_dimension_NaN_and_empty_vectors_are_refused(float[] vector, string reason)
    {
        var index = new MemoryIndex(10);
        index.Add(Memory("mao", "h", 1, 0, 0));
        Assert.Contains(reason, index.Refuse("mao", vector));
        Assert.Null(index.Refuse("mao", [0, 0, 3]));
        Assert.Null(index.Refuse("grumble", [1, 0])); // another character may use another model
    }

    [Fact]
    public void Removing_a_history_or_one_memory_takes_it_out_of_search()
    {
        var index = new MemoryIndex(10);
        var a = Memory("mao", "h1", 1, 0);
        var b = Memory("mao", "h2", 1, 0);
        index.Add(a);
        index.Add(b);

        Assert.Equal(1, index.RemoveHistory("mao", "h1"));
        Assert.Equal(b, index.Remove(b.Id));
        Assert.Null(index.Remove(b.Id));
        Assert.Empty(index.Search("mao", "", MemoryIndex.Normalized([1, 0]), 3, 0));
    }
}
