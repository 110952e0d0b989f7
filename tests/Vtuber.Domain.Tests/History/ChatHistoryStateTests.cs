using Vtuber.Domain.History;

namespace Vtuber.Domain.Tests.History;

public sealed class ChatHistoryStateTests
{
    private static readonly ChatRecord Hello = new(ChatRecord.Human, "2026-02-11T13:14:31", "hello", "Human");
    private static readonly ChatRecord Hi = new(ChatRecord.Ai, "2026-02-11T13:14:35", "Hi!", "Mao", "mao.png");
    private static readonly ChatRecord Interrupted = new(ChatRecord.System, "2026-02-11T13:14:40", ChatRecord.InterruptedMarker);

    private static ChatHistoryState Run(ChatHistoryState state, HistoryCommand command)
    {
        var decision = state.Handle(command);
        return decision.Events.Aggregate(state, (s, e) => s.Apply(e));
    }

    private static ChatHistoryState Created() => Run(ChatHistoryState.Empty, new HistoryCommand.Create("2026-02-11T13:14:30"));

    [Fact]
    public void Create_records_the_creation_time_once()
    {
        var decision = ChatHistoryState.Empty.Handle(new HistoryCommand.Create("2026-02-11T13:14:30"));
        Assert.Equal(HistoryOutcome.Created, decision.Outcome);
        Assert.Equal([new HistoryCreatedV1("2026-02-11T13:14:30")], decision.Events);

        var again = Created().Handle(new HistoryCommand.Create("2026-02-11T13:15:00"));
        Assert.Equal(HistoryOutcome.AlreadyExists, again.Outcome);
        Assert.Empty(again.Events);
        Assert.Equal("2026-02-11T13:14:30", Created().Created);
    }

    [Fact]
    public void Appended_records_are_kept_in_order()
    {
        var state = Run(Run(Created(), new HistoryCommand.Append([Hello])), new HistoryCommand.Append([Hi, Interrupted]));
        Assert.Equal([Hello, Hi, Interrupted], state.Records);
    }

    [Fact]
    public void Append_to_a_history_that_was_never_created_is_not_found()
    {
        var decision = ChatHistoryState.Empty.Handle(new HistoryCommand.Append([Hello]));
        Assert.Equal(HistoryOutcome.NotFound, decision.Outcome);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void Metadata_records_are_rejected_because_the_history_owns_its_metadata()
    {
        var decision = Created().Handle(new HistoryCommand.Append([Hello, new ChatRecord("metadata", "2026-02-11T13:14:30", "")]));
        Assert.Equal(HistoryOutcome.Rejected, decision.Outcome);
        Assert.Empty(decision.Events);
        Assert.Contains("metadata", decision.Reason);
    }

    [Fact]
    public void Deleted_history_accepts_nothing_and_holds_nothing()
    {
        var deleted = Run(Run(Created(), new HistoryCommand.Append([Hello])), new HistoryCommand.Delete());

        Assert.False(deleted.Exists);
        Assert.Empty(deleted.Records);
        Assert.Equal(HistoryOutcome.NotFound, deleted.Handle(new HistoryCommand.Append([Hi])).Outcome);
        Assert.Equal(HistoryOutcome.NotFound, deleted.Handle(new HistoryCommand.Delete()).Outcome);
        Assert.Equal(HistoryOutcome.NotFound, deleted.Handle(new HistoryCommand.Create("2026-02-11T13:20:00")).Outcome);
    }

    [Fact]
    public void Delete_of_an_unknown_history_is_not_found()
    {
        Assert.Equal(HistoryOutcome.NotFound, ChatHistoryState.Empty.Handle(new HistoryCommand.Delete()).Outcome);
    }

    [Fact]
    public void Snapshot_round_trip_gives_the_same_state()
    {
        var state = Run(Created(), new HistoryCommand.Append([Hello, Hi, Interrupted]));
        var restored = ChatHistoryState.FromSnapshot(state.ToSnapshot());

        Assert.Equal(state.Created, restored.Created);
        Assert.Equal(state.Deleted, restored.Deleted);
        Assert.Equal(state.Records, restored.Records);
    }

    [Fact]
    public void History_data_leaves_out_metadata_and_system_records()
    {
        var metadata = new ChatRecord(HistoryView.MetadataRole, "2026-02-11T13:14:30", "");
        Assert.Equal([Hello, Hi], HistoryView.Messages([metadata, Hello, Hi, Interrupted]));
    }

    [Fact]
    public void Latest_message_is_the_last_non_metadata_record_including_system()
    {
        var metadata = new ChatRecord(HistoryView.MetadataRole, "2026-02-11T13:14:30", "");
        Assert.Equal(Interrupted, HistoryView.LatestMessage([metadata, Hello, Hi, Interrupted]));
        Assert.Equal(Hi, HistoryView.LatestMessage([Hello, Hi, metadata]));
        Assert.Null(HistoryView.LatestMessage([metadata]));
        Assert.Null(HistoryView.LatestMessage([]));
    }
}
