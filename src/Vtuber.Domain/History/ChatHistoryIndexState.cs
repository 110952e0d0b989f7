using System.Collections.Immutable;

namespace Vtuber.Domain.History;

/// <summary>
/// The histories of one character (conf_uid) with their latest message, so history-list is answered without
/// replaying every history. Fed by the history actors after their own writes.
/// </summary>
public sealed record ChatHistoryIndexState(ImmutableDictionary<string, IndexedHistoryV1> Histories)
{
    public static readonly ChatHistoryIndexState Empty = new(ImmutableDictionary<string, IndexedHistoryV1>.Empty);

    public ChatHistoryIndexState Apply(IChatHistoryEvent @event) => @event switch
    {
        IndexedHistoryCreatedV1 created => new(Histories.SetItem(created.HistoryUid,
            Histories.TryGetValue(created.HistoryUid, out var known)
                ? known with { Created = created.Created }
                : new IndexedHistoryV1(created.HistoryUid, created.Created, null))),
        // A message can be indexed before its creation event arrived (or after the index was lost); keep it anyway.
        IndexedLatestMessageV1 latest => new(Histories.SetItem(latest.HistoryUid,
            Histories.TryGetValue(latest.HistoryUid, out var known)
                ? known with { LatestMessage = latest.LatestMessage }
                : new IndexedHistoryV1(latest.HistoryUid, latest.LatestMessage.Timestamp, latest.LatestMessage))),
        IndexedHistoryDeletedV1 deleted => new(Histories.Remove(deleted.HistoryUid)),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "not a chat history index event"),
    };

    /// <summary>
    /// history-list order: newest first by the latest message's timestamp (OLV sorts the strings), histories
    /// without messages left out. Unlike OLV we never delete the empty ones while listing: they may be another
    /// session's fresh history that it is about to write to.
    /// </summary>
    public IReadOnlyList<IndexedHistoryV1> Listing() =>
        Histories.Values
            .Where(h => h.LatestMessage is not null)
            .OrderByDescending(h => h.LatestMessage!.Timestamp, StringComparer.Ordinal)
            .ThenByDescending(h => h.HistoryUid, StringComparer.Ordinal)
            .ToList();

    public ChatHistoryIndexSnapshotV1 ToSnapshot() => new(Histories.Values.OrderBy(h => h.HistoryUid, StringComparer.Ordinal).ToList());

    public static ChatHistoryIndexState FromSnapshot(ChatHistoryIndexSnapshotV1 snapshot) =>
        new(snapshot.Histories.ToImmutableDictionary(h => h.HistoryUid));
}
