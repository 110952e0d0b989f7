namespace Vtuber.Agents.Tests;

internal static class Eventually
{
    /// <summary>Polls a condition that another thread (the fake server) makes true; fails after the timeout.</summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var expiry = new CancellationTokenSource(timeout);
        while (!condition())
        {
            if (expiry.IsCancellationRequested)
            {
                Assert.Fail($"condition not met within {timeout}");
            }
            await Task.Delay(10, CancellationToken.None);
        }
    }
}
