using Vtuber.Testing;
using static Vtuber.Agents.Tests.TestProviders;

namespace Vtuber.Agents.Tests;

/// <summary>
/// What every HTTP provider must do against its fake, whatever its wire format: stream the text in order, turn an
/// HTTP error, a cut stream, a stream without its end marker, a hang and a stall into an LlmProviderException naming
/// the provider, and close the request when the turn is cancelled.
/// </summary>
public abstract class ProviderContract<TFake> : IAsyncLifetime where TFake : FakeChatServer
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    protected TFake Fake = null!;

    protected abstract Task<TFake> StartFakeAsync();

    /// <summary>The provider's settings pointing at the fake.</summary>
    protected abstract LlmProviderSettings Settings(TFake fake);

    /// <summary>The Cause an HTTP status becomes for this provider.</summary>
    protected abstract string HttpCause(int status);

    public async Task InitializeAsync() => Fake = await StartFakeAsync();

    public async Task DisposeAsync() => await Fake.DisposeAsync();

    protected ChatAgent Agent(Func<LlmProviderSettings, LlmProviderSettings>? adjust = null)
    {
        var settings = Settings(Fake);
        settings = adjust?.Invoke(settings) ?? settings;
        return new ChatAgent(LlmProviders.CreateClient(settings), settings, SystemPrompt);
    }

    protected static async Task<List<string>> CollectAsync(IAsyncEnumerable<string> deltas, List<string>? into = null)
    {
        var received = into ?? [];
        await foreach (var delta in deltas)
        {
            received.Add(delta);
        }
        return received;
    }

    [Fact]
    public async Task Reply_text_streams_in_order()
    {
        Fake.Enqueue(new FakeReply(["[joy] Hi", "! Nice", " to meet", " you."]));
        var agent = Agent();

        var deltas = await CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("who are you?")), CancellationToken.None));

        Assert.Equal(["[joy] Hi", "! Nice", " to meet", " you."], deltas);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    public async Task Http_error_becomes_a_provider_exception_naming_provider_and_status(int status)
    {
        Fake.Enqueue(new FakeReply([]) { FailWithStatus = status });
        var agent = Agent();

        var failure = await Assert.ThrowsAsync<LlmProviderException>(
            () => CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None)));

        Assert.Equal(Settings(Fake).Key, failure.Provider);
        Assert.Equal(HttpCause(status), failure.Cause);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Connection_reset_mid_stream_fails_instead_of_yielding_a_short_reply(int cutAfter)
    {
        Fake.Enqueue(new FakeReply(["One", " two", " three", " four."]) { CutAfterChunks = cutAfter });
        var agent = Agent();
        var received = new List<string>();

        var failure = await Assert.ThrowsAsync<LlmProviderException>(
            () => CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("count")), CancellationToken.None), received));

        Assert.Equal("stream ended unexpectedly", failure.Cause);
        Assert.Equal(new[] { "One", " two", " three", " four." }.Take(received.Count), received);
        Assert.True(received.Count <= cutAfter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task Stream_ending_without_its_end_marker_fails_after_the_text_it_carried(int stopAfter)
    {
        Fake.Enqueue(new FakeReply(["One", " two", " three", " four."]) { StopAfterChunks = stopAfter });
        var agent = Agent();
        var received = new List<string>();

        var failure = await Assert.ThrowsAsync<LlmProviderException>(
            () => CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("count")), CancellationToken.None), received));

        Assert.Equal("stream ended unexpectedly", failure.Cause);
        Assert.Equal(new[] { "One", " two", " three", " four." }.Take(stopAfter), received);
    }

    [Fact]
    public async Task Hanging_provider_fails_after_the_first_token_timeout_and_the_request_is_closed()
    {
        Fake.Enqueue(new FakeReply([]) { Hang = true });
        var agent = Agent(s => s with { FirstTokenTimeout = TimeSpan.FromMilliseconds(300) });

        var failure = await Assert.ThrowsAsync<LlmProviderException>(
            () => CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None)));

        Assert.Equal("no reply within 0.3 s (first-token timeout)", failure.Cause);
        await Eventually.TrueAsync(() => Fake.ActiveStreams == 0, Patience);
    }

    [Fact]
    public async Task Stalled_stream_fails_after_the_idle_timeout_keeping_the_text_before_it()
    {
        Fake.Enqueue(new FakeReply(["first", " second"]) { ChunkDelay = TimeSpan.FromMinutes(5) });
        var agent = Agent(s => s with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        var received = new List<string>();

        var failure = await Assert.ThrowsAsync<LlmProviderException>(
            () => CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None), received));

        Assert.Equal("no data for 0.3 s (idle timeout)", failure.Cause);
        Assert.Equal(["first"], received);
        await Eventually.TrueAsync(() => Fake.ActiveStreams == 0, Patience);
    }

    [Fact]
    public async Task Slow_consumer_is_not_taken_for_a_stalled_provider()
    {
        Fake.Enqueue(new FakeReply(["one", " two", " three."]));
        var agent = Agent(s => s with { IdleTimeout = TimeSpan.FromMilliseconds(100) });
        var received = new List<string>();

        await foreach (var delta in agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None))
        {
            received.Add(delta);
            // The turn backpressures (a slow TTS): the pause is ours, not the provider's.
            Thread.Sleep(300);
        }

        Assert.Equal(["one", " two", " three."], received);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_reading_and_closes_the_request()
    {
        Fake.Enqueue(new FakeReply(["first", " second", " third"]) { ChunkDelay = TimeSpan.FromMinutes(5) });
        var agent = Agent();
        using var cts = new CancellationTokenSource();
        var received = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var delta in agent.StreamAsync(agent.BeginTurn(Text("hi")), cts.Token))
            {
                received.Add(delta);
                await cts.CancelAsync();
            }
        });

        Assert.Equal(["first"], received);
        await Eventually.TrueAsync(() => Fake.ActiveStreams == 0, Patience);
    }
}
