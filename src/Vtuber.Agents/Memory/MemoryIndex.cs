using System.Numerics.Tensors;

namespace Vtuber.Agents.Memory;

/// <summary>One remembered turn of a character: what was said, where it was said and its unit-length vector.</summary>
public sealed record LongTermMemory(string Id, string ConfUid, string HistoryUid, int Record, DateTimeOffset Created,
    string Text, float[] Vector);

/// <summary>A memory recalled for a turn, with its cosine similarity to the turn's text.</summary>
public sealed record RecalledMemory(LongTermMemory Memory, float Score);

/// <summary>
/// The memories of every character on this node, searched by exact cosine similarity. Vectors are normalised when
/// added, so a search is one dot product per memory (TensorPrimitives, SIMD). Not thread-safe: one owner (the
/// long-term memory actor) adds, removes and searches.
/// </summary>
public sealed class MemoryIndex(int maxPerCharacter)
{
    // Per character, oldest first (eviction takes the front).
    private readonly Dictionary<string, List<LongTermMemory>> _byCharacter = new(StringComparer.Ordinal);

    public int Count(string confUid) => _byCharacter.TryGetValue(confUid, out var list) ? list.Count : 0;

    public IReadOnlyList<LongTermMemory> Of(string confUid) =>
        _byCharacter.TryGetValue(confUid, out var list) ? list.ToList() : [];

    /// <summary>
    /// Why a vector cannot be stored or searched for this character: empty, NaN or infinite parts, zero length, or a
    /// dimension other than that of the character's memories. Null when it is fine.
    /// </summary>
    public string? Refuse(string confUid, ReadOnlySpan<float> vector)
    {
        if (vector.Length == 0)
        {
            return "the vector is empty";
        }
        foreach (var x in vector)
        {
            if (!float.IsFinite(x))
            {
                return "the vector has NaN or infinite components";
            }
        }
        if (TensorPrimitives.Norm(vector) == 0)
        {
            return "the vector has zero length";
        }
        return _byCharacter.TryGetValue(confUid, out var list) && list.Count > 0 && list[0].Vector.Length != vector.Length
            ? $"the vector has {vector.Length} dimensions, the character's memories have {list[0].Vector.Length}"
            : null;
    }

    /// <summary>Unit length, so cosine similarity is a dot product.</summary>
    public static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var unit = new float[vector.Length];
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), unit);
        return unit;
    }

    /// <summary>
    /// Adds a memory (its vector must pass <see cref="Refuse"/> and be normalised) and returns the memories evicted to
    /// stay within the cap, oldest first.
    /// </summary>
    public IReadOnlyList<LongTermMemory> Add(LongTermMemory memory)
    {
        if (!_byCharacter.TryGetValue(memory.ConfUid, out var list))
        {
            _byCharacter[memory.ConfUid] = list = [];
        }
        list.Add(memory);
        if (list.Count <= maxPerCharacter)
        {
            return [];
        }
        var evicted = list.GetRange(0, list.Count - maxPerCharacter);
        list.RemoveRange(0, evicted.Count);
        return evicted;
    }

    public LongTermMemory? Remove(string id)
    {
        foreach (var list in _byCharacter.Values)
        {
            var at = list.FindIndex(m => m.Id == id);
            if (at >= 0)
            {
                var memory = list[at];
                list.RemoveAt(at);
                return memory;
            }
        }
        return null;
    }

    public int RemoveHistory(string confUid, string historyUid) =>
        _byCharacter.TryGetValue(confUid, out var list) ? list.RemoveAll(m => m.HistoryUid == historyUid) : 0;

    /// <summary>
    /// The topK memories of the character most similar to the (normalised) query, best first, leaving out the
    /// history the turn belongs to and anything scoring below minScore.
    /// </summary>
    public IReadOnlyList<RecalledMemory> Search(string confUid, string excludeHistoryUid, ReadOnlySpan<float> query,
        int topK, double minScore)
    {
        if (!_byCharacter.TryGetValue(confUid, out var list) || list.Count == 0 || list[0].Vector.Length != query.Length)
        {
            return [];
        }
        // A small sorted buffer (topK is at most 50): one pass, no sort of all scores.
        var best = new List<RecalledMemory>(topK + 1);
        foreach (var memory in list)
        {
            var score = TensorPrimitives.Dot(memory.Vector, query);
            // The history is compared only for a candidate: most memories fail on score, and uids are long strings.
            if (score < minScore || (best.Count == topK && score <= best[^1].Score) || memory.HistoryUid == excludeHistoryUid)
            {
                continue;
            }
            var at = best.FindIndex(b => b.Score < score);
            best.Insert(at < 0 ? best.Count : at, new RecalledMemory(memory, score));
            if (best.Count > topK)
            {
                best.RemoveAt(topK);
            }
        }
        return best;
    }
}
