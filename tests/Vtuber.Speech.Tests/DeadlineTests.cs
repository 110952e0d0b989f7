namespace Vtuber.Speech.Tests;

public sealed class DeadlineTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_call_that_ignores_its_token_is_abandoned_at_the_bound()
    {
        var neverAnswers = new TaskCompletionSource<int>();

        var error = await Assert.ThrowsAsync<DeadlineExceededException>(
            () => Deadline.RunAsync(_ => neverAnswers.Task, Short, CancellationToken.None));

        Assert.Equal((Short, "0.2"), (error.Bound, error.BoundSeconds));
        neverAnswers.SetException(new InvalidOperationException("late failure")); // observed, not unobserved
    }

    [Fact]
    public async Task A_call_that_honours_its_token_is_stopped_at_the_bound_whatever_it_makes_of_the_abort()
    {
        var stopped = new TaskCompletionSource();

        await Assert.ThrowsAsync<DeadlineExceededException>(() => Deadline.RunAsync<int>(async ct =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return 1;
            }
            catch (OperationCanceledException e)
            {
                stopped.SetResult();
                throw new IOException("connection aborted", e); // what engines turn an abort into
            }
        }, Short, CancellationToken.None));

        await stopped.Task; // the call saw its token fire and stopped its work
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation_and_is_immediate()
    {
        using var interrupt = new CancellationTokenSource();
        var neverAnswers = new TaskCompletionSource<int>();
        var running = Deadline.RunAsync(_ => neverAnswers.Task, TimeSpan.FromMinutes(5), interrupt.Token);

        await interrupt.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task Answers_and_failures_within_the_bound_pass_through()
    {
        Assert.Equal(42, await Deadline.RunAsync(_ => Task.FromResult(42), Short, CancellationToken.None));
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() =>
            Deadline.RunAsync<int>(_ => throw new InvalidDataException("bad audio"), Short, CancellationToken.None));
        Assert.Equal("bad audio", failure.Message);
    }
}
