namespace Vtuber.Domain.Live;

/// <summary>
/// How long a live-chat bridge waits before its next connection attempt: min, doubling per failure, capped at max;
/// a connection that worked (the platform accepted it) starts again from min.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public ReconnectBackoff(TimeSpan min, TimeSpan max)
    {
        _min = min;
        _max = max;
        _next = min;
    }

    public TimeSpan Next()
    {
        var wait = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, _next.Ticks * 2));
        return wait;
    }

    public void Reset() => _next = _min;
}
