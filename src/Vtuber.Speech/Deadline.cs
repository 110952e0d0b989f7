namespace Vtuber.Speech;

/// <summary>
/// Runs one outside call (a TTS sentence, an ASR utterance) under a bound. The call gets a token that fires at the
/// bound or when the caller cancels, so cooperative engines stop their work (HTTP requests aborted, sockets closed,
/// child programs killed). The answer comes at the bound whether or not the engine honours the token: a call stuck
/// in code that ignores it is abandoned, never awaited, so no turn waits past its deadline.
/// </summary>
public static class Deadline
{
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, TimeSpan bound,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(bound);
        Task<T>? running = null;
        try
        {
            running = call(deadline.Token);
            return await running.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (deadline.IsCancellationRequested)
        {
            Abandon(running);
            // Whatever the engine made of the abort (a cancellation, a broken connection, a killed program), the
            // cause is the bound; a caller's own cancellation stays a cancellation.
            cancellationToken.ThrowIfCancellationRequested();
            throw new DeadlineExceededException(bound, e);
        }
    }

    // An abandoned call may still fail later; its exception is observed here so it is not reported as unobserved.
    private static void Abandon(Task? running) =>
        running?.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}

/// <summary>An outside call gave no answer within its bound.</summary>
public sealed class DeadlineExceededException(TimeSpan bound, Exception? inner = null)
    : TimeoutException($"no answer within {Seconds(bound)} s", inner)
{
    public TimeSpan Bound { get; } = bound;

    /// <summary>The bound as the config file writes it: 30, 0.5.</summary>
    public string BoundSeconds => Seconds(Bound);

    private static string Seconds(TimeSpan bound) =>
        bound.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
