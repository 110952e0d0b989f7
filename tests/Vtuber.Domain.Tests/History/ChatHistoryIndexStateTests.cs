using Vtuber.Domain.History;

namespace Vtuber.Domain.Tests.History;

public sealed class ChatHistoryIndexStateTests
{
    private const string Older = "2026-02-10_09-00-00_00000000000000000000000000000001";
    private const string Newer = "2026-02-11_13-14-30_00000000000000000000000000000002";
    private const string Empty = "2026-02-11_13-20-00_00000000000000000000000000000003";

    private static ChatHistoryIndexState Index(params IChatHistoryEvent[] events) =>
        events.Aggregate(ChatHistoryIndexState.Empty, (s, e) => s.Apply(e));

    [Fact]
    public void Listing_is_newest_first_by_latest_message_and_leaves_out_empty_histories()
    {
        var byeMessage = new ChatRecord(ChatRecord.Ai, "2026-02-12T08:00:00", "Bye!", "Mao", "mao.png");
        var index = Index(
            new IndexedHistoryCreatedV1(Older, "2026-02-10T09:00:00"),
            new IndexedHistoryCreatedV1(Newer, "2026-02-11T13:14:30"),
            new IndexedHistoryCreatedV1(Empty, "2026-02-11T13:20:00"),
            new IndexedLatestMessageV1(Newer, new ChatRecord(ChatRecord.Human, "2026-02-11T13:14:31", "hi", "Human")),
            // The older history got the most recent message, so it lists first.
            new IndexedLatestMessageV1(Older, byeMessage));

        var listing = index.Listing();

        Assert.Equal([Older, Newer], listing.Select(h => h.HistoryUid));
        Assert.Equal(byeMessage, listing[0].LatestMessage);
        Assert.True(index.Histories.ContainsKey(Empty), "an empty history stays indexed: it may be another session's fresh one");
    }

    [Fact]
    public void Deleted_history_leaves_the_listing()
    {
        var index = Index(
            new IndexedHistoryCreatedV1(Older, "2026-02-10T09:00:00"),
            new IndexedLatestMessageV1(Older, new ChatRecord(ChatRecord.Human, "2026-02-10T09:00:01", "hi")),
            new IndexedHistoryDeletedV1(Older));

        Assert.Empty(index.Listing());
        Assert.Empty(index.Histories);
    }

    [Fact]
    public void Message_indexed_before_its_creation_is_kept()
    {
        var message = new ChatRecord(ChatRecord.Human, "2026-02-10T09:00:01", "hi");
        var index = Index(new IndexedLatestMessageV1(Older, message), new IndexedHistoryCreatedV1(Older, "2026-02-10T09:00:00"));

        Assert.Equal(new IndexedHistoryV1(Older, "2026-02-10T09:00:00", message), Assert.Single(index.Listing()));
    }

    [Fact]
    public void Snapshot_round_trip_gives_the_same_listing()
    {
        var index = Index(
            new IndexedHistoryCreatedV1(Older, "2026-02-10T09:00:00"),
            new IndexedLatestMessageV1(Older, new ChatRecord(ChatRecord.Human, "2026-02-10T09:00:01", "hi")),
            new IndexedHistoryCreatedV1(Empty, "2026-02-11T13:20:00"));

        var restored = ChatHistoryIndexState.FromSnapshot(index.ToSnapshot());

        Assert.Equal(index.Listing(), restored.Listing());
        Assert.Equal(index.Histories.Keys.Order(), restored.Histories.Keys.Order());
    }
}
