using System.Text.Json;
using Vtuber.Domain.History;

namespace Vtuber.Domain.Tests.History;

public sealed class HistoryImportTests
{
    private static readonly ChatRecord Hi = new(ChatRecord.Human, "2026-02-11T13:14:31", "hi", "Human");
    private static readonly ChatRecord Yo = new(ChatRecord.Ai, "2026-02-11T13:14:32", "yo", "Mao", "");
    private static readonly ChatRecord Later = new(ChatRecord.Human, "2026-02-12T08:00:00", "later", "Human");

    private static ImportedHistory File(params ChatRecord[] records) =>
        new("mao_pro_001", "2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a0", "2026-02-11T13:14:30",
            new Dictionary<string, JsonElement>(), records);

    private static ChatHistoryState Stored(params IChatHistoryEvent[] events) =>
        events.Aggregate(ChatHistoryState.Empty, (s, e) => s.Apply(e));

    [Fact]
    public void A_new_history_is_one_batch_of_created_metadata_and_records()
    {
        using var meta = JsonDocument.Parse("""{"resume_id":"r"}""");
        var file = File(Hi, Yo) with { Metadata = new Dictionary<string, JsonElement> { ["resume_id"] = meta.RootElement.GetProperty("resume_id") } };

        var decision = HistoryImport.Decide(ChatHistoryState.Empty, file);

        Assert.Equal(ImportOutcome.Imported, decision.Outcome);
        Assert.Equal(3, decision.Events.Count);
        Assert.Equal(new HistoryCreatedV1("2026-02-11T13:14:30"), decision.Events[0]);
        Assert.Equal("r", Assert.IsType<HistoryMetadataV1>(decision.Events[1]).Extra["resume_id"].GetString());
        Assert.Equal([Hi, Yo], Assert.IsType<RecordsAppendedV1>(decision.Events[2]).Records);
        var folded = StoredHistory.FromEvents("mao_pro_001", file.HistoryUid, decision.Events)!;
        Assert.Equal([Hi, Yo], folded.Records);
        Assert.Equal("r", folded.Metadata["resume_id"].GetString());
    }

    [Fact]
    public void An_empty_file_without_metadata_writes_only_the_creation()
    {
        Assert.Equal([new HistoryCreatedV1("2026-02-11T13:14:30")], HistoryImport.Decide(ChatHistoryState.Empty, File()).Events);
    }

    [Fact]
    public void The_same_records_again_or_a_history_that_went_on_write_nothing()
    {
        var same = HistoryImport.Decide(Stored(new HistoryCreatedV1("x"), new RecordsAppendedV1([Hi, Yo])), File(Hi, Yo));
        var grown = HistoryImport.Decide(Stored(new HistoryCreatedV1("x"), new RecordsAppendedV1([Hi, Yo, Later])), File(Hi, Yo));

        Assert.Equal((ImportOutcome.AlreadyImported, 0, null), (same.Outcome, same.Events.Count, same.Reason));
        Assert.Equal((ImportOutcome.AlreadyImported, 0), (grown.Outcome, grown.Events.Count));
        Assert.Contains("1 record(s) were added", grown.Reason);
    }

    [Fact]
    public void Different_records_a_longer_file_or_a_deleted_history_are_conflicts_that_write_nothing()
    {
        var differs = HistoryImport.Decide(Stored(new HistoryCreatedV1("x"), new RecordsAppendedV1([Hi, Later])), File(Hi, Yo));
        var longer = HistoryImport.Decide(Stored(new HistoryCreatedV1("x"), new RecordsAppendedV1([Hi])), File(Hi, Yo));
        var deleted = HistoryImport.Decide(Stored(new HistoryCreatedV1("x"), new HistoryDeletedV1()), File(Hi, Yo));

        Assert.All([differs, longer, deleted], d => Assert.Equal((ImportOutcome.Conflict, 0), (d.Outcome, d.Events.Count)));
        Assert.Contains("differs at record 2", differs.Reason);
        Assert.Contains("1 record(s) more", longer.Reason);
        Assert.Contains("deleted", deleted.Reason);
    }

    [Fact]
    public void A_deleted_history_is_absent_from_the_stored_view()
    {
        Assert.Null(StoredHistory.FromEvents("c", "h", [new HistoryCreatedV1("x"), new RecordsAppendedV1([Hi]), new HistoryDeletedV1()]));
        Assert.Null(StoredHistory.FromEvents("c", "h", []));
    }
}
