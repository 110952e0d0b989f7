using Vtuber.Actors.History;
using Vtuber.Domain.History;

namespace Vtuber.Actors.Tests.History;

public sealed class PendingAppendsTests
{
    private const string Mao = "mao_pro_001";
    private const string Uid = "2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a0";

    private static AppendRecords Batch(string text) =>
        new(Mao, Uid, [new ChatRecord(ChatRecord.Human, "2026-02-11T09:00:00", text, "Human")]);

    private static AppendRecords Batch(string text, string historyUid) => Batch(text) with { HistoryUid = historyUid };

    // Every record's text, in order: a write that carries several batches shows them joined.
    private static string Text(AppendRecords? batch) =>
        batch is null ? "(nothing)" : string.Join("+", batch.Records.Select(r => r.Content));

    [Fact]
    public void A_closing_session_hands_over_every_unsent_batch_in_order_but_not_the_one_in_flight()
    {
        var appends = new PendingAppends();
        appends.TryAdd(Batch("a"));
        Assert.Equal("a", Text(appends.NextToSend()));
        appends.TryAdd(Batch("b"));
        appends.TryAdd(Batch("c"));

        var unsent = appends.Unsent();

        Assert.Equal(["b", "c"], unsent.Select(Text));
        Assert.All(unsent, b => Assert.False(b.Retry));
        Assert.Equal(0, appends.Count);
    }

    [Fact]
    public void A_batch_waiting_for_its_retry_is_handed_over_marked_as_a_retry()
    {
        var appends = new PendingAppends();
        appends.TryAdd(Batch("a"));
        appends.NextToSend();
        appends.TryAdd(Batch("b"));
        appends.Failed();

        var unsent = appends.Unsent();

        Assert.Equal(["a", "b"], unsent.Select(Text));
        Assert.Equal([true, false], unsent.Select(b => b.Retry));
    }

    [Fact]
    public void Writes_go_out_one_at_a_time_in_order()
    {
        var appends = new PendingAppends();
        Assert.True(appends.TryAdd(Batch("one")));

        var first = appends.NextToSend();
        Assert.Equal("one", Text(first));
        Assert.False(first!.Retry);
        Assert.True(appends.TryAdd(Batch("two")));
        Assert.Null(appends.NextToSend()); // "one" is in flight
        Assert.True(appends.InFlight);

        appends.Acknowledged();
        Assert.Equal("two", Text(appends.NextToSend()));
        appends.Acknowledged();
        Assert.Null(appends.NextToSend());
        Assert.Equal(0, appends.Count);
    }

    [Fact]
    public void Batches_that_waited_for_the_same_history_go_as_one_write_and_settle_together()
    {
        var appends = new PendingAppends();
        appends.TryAdd(Batch("one"));
        appends.NextToSend();
        appends.TryAdd(Batch("two"));
        appends.TryAdd(Batch("three"));
        Assert.True(appends.TryDefer("list after three"));
        appends.TryAdd(Batch("four", historyUid: "2026-02-11_13-15-00_another"));
        appends.Acknowledged();

        var merged = appends.NextToSend();

        Assert.Equal("two+three", Text(merged)); // not "four": another history is another write
        Assert.Equal(Uid, merged!.HistoryUid);
        Assert.Equal(3, appends.Count);
        appends.Acknowledged();
        Assert.Equal(["list after three"], appends.ReleaseReads());
        Assert.Equal(1, appends.Count);
        Assert.Equal("four", Text(appends.NextToSend()));
    }

    [Fact]
    public void One_write_carries_at_most_the_record_limit()
    {
        var appends = new PendingAppends();
        for (var i = 0; i <= PendingAppends.MaxRecordsPerWrite; i++)
        {
            appends.TryAdd(Batch($"r{i}"));
        }

        Assert.Equal(PendingAppends.MaxRecordsPerWrite, appends.NextToSend()!.Records.Count);
        appends.Acknowledged();
        Assert.Equal($"r{PendingAppends.MaxRecordsPerWrite}", Text(appends.NextToSend()));
    }

    [Fact]
    public void A_retry_resends_exactly_the_batches_of_the_failed_write_even_when_more_came_meanwhile()
    {
        var appends = new PendingAppends();
        appends.TryAdd(Batch("one"));
        appends.TryAdd(Batch("two"));
        Assert.Equal("one+two", Text(appends.NextToSend()));
        appends.TryAdd(Batch("three"));
        appends.Failed();
        appends.RetryDue();

        var retry = appends.NextToSend();

        Assert.Equal("one+two", Text(retry));
        Assert.True(retry!.Retry);
        appends.Acknowledged();
        Assert.Equal("three", Text(appends.NextToSend()));
    }

    [Fact]
    public void A_failed_batch_stays_first_is_retried_marked_as_retry_and_later_batches_wait()
    {
        var appends = new PendingAppends();
        appends.TryAdd(Batch("one"));
        appends.NextToSend();
        appends.TryAdd(Batch("two"));

        var plan = appends.Failed();
        Assert.True(plan.OutageStarted);
        Assert.True(appends.Failing);
        Assert.Null(appends.NextToSend()); // nothing overtakes the failed batch while its retry is scheduled

        appends.RetryDue();
        var retry = appends.NextToSend();
        Assert.Equal("one", Text(retry));
        Assert.True(retry!.Retry);
        appends.Acknowledged();
        Assert.False(appends.Failing);

        var next = appends.NextToSend();
        Assert.Equal("two", Text(next));
        Assert.False(next!.Retry);
    }

    [Fact]
    public void Backoff_doubles_from_half_a_second_to_thirty_seconds_and_resets_after_a_success()
    {
        var appends = new PendingAppends();
        appends.TryAdd(Batch("one"));
        var delays = new List<double>();
        var outageStarts = new List<bool>();
        for (var i = 0; i < 9; i++)
        {
            appends.NextToSend();
            var plan = appends.Failed();
            delays.Add(plan.Delay.TotalSeconds);
            outageStarts.Add(plan.OutageStarted);
            appends.RetryDue();
        }
        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30, 30], delays);
        Assert.Equal([true, false, false, false, false, false, false, false, false], outageStarts);

        appends.NextToSend();
        appends.Acknowledged();
        appends.TryAdd(Batch("two"));
        appends.NextToSend();
        Assert.Equal(new RetryPlan(TimeSpan.FromMilliseconds(500), OutageStarted: true), appends.Failed());
    }

    [Fact]
    public void A_refused_batch_is_dropped_and_the_next_one_goes_out()
    {
        var appends = new PendingAppends();
        appends.TryAdd(Batch("refused"));
        appends.NextToSend();
        appends.TryAdd(Batch("fine"));

        appends.Refused();

        Assert.Equal("fine", Text(appends.NextToSend()));
        Assert.Equal(1, appends.Count);
    }

    [Fact]
    public void A_full_queue_refuses_the_newest_batch_and_keeps_the_older_ones()
    {
        var appends = new PendingAppends(capacity: 2);
        Assert.True(appends.TryAdd(Batch("one")));
        Assert.True(appends.TryAdd(Batch("two")));

        Assert.False(appends.TryAdd(Batch("three")));

        Assert.Equal("one+two", Text(appends.NextToSend()));
        appends.Acknowledged();
        Assert.Null(appends.NextToSend());
        Assert.True(appends.TryAdd(Batch("four")));
    }

    [Fact]
    public void Settling_without_a_batch_in_flight_is_a_bug_and_throws()
    {
        var appends = new PendingAppends();
        appends.TryAdd(Batch("one"));

        Assert.Throws<InvalidOperationException>(appends.Acknowledged);
        Assert.Throws<InvalidOperationException>(() => appends.Failed());
    }

    [Fact]
    public void Reads_wait_for_the_appends_queued_before_them_and_go_at_once_when_nothing_is_pending()
    {
        var appends = new PendingAppends();
        Assert.False(appends.TryDefer("list before anything"));

        appends.TryAdd(Batch("one"));
        appends.NextToSend();
        Assert.True(appends.TryDefer("load after one"));
        appends.TryAdd(Batch("two"));
        Assert.True(appends.TryDefer("list after two"));
        Assert.Empty(appends.ReleaseReads());

        appends.Acknowledged();
        Assert.Equal(["load after one"], appends.ReleaseReads());
        appends.NextToSend();
        appends.Acknowledged();
        Assert.Equal(["list after two"], appends.ReleaseReads());
    }

    [Fact]
    public void Reads_are_not_held_while_the_journal_fails()
    {
        var appends = new PendingAppends();
        appends.TryAdd(Batch("one"));
        appends.NextToSend();
        Assert.True(appends.TryDefer("waiting read"));

        appends.Failed();

        Assert.Equal(["waiting read"], appends.ReleaseReads());
        Assert.False(appends.TryDefer("read during the outage"));
    }
}
