namespace Vtuber.Speech.Tests;

/// <summary>Waits for a condition by polling, with a generous deadline that only a real hang reaches.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }
}
