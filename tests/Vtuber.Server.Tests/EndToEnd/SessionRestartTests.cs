using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Vtuber.Actors.Sessions;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>A session that crashes is restarted in place: its socket stays open and its memory comes back from the journal.</summary>
public sealed class SessionRestartTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly RunningServer _server = fixture.Server;

    private async Task<(OlvClient Client, ActorSelection Session)> ConnectAsync()
    {
        var client = await _server.ConnectAsync();
        var greeting = await client.ReceiveUntilAsync("control", "start-mic");
        var clientUid = (string)greeting.Single(f => OlvClient.Type(f) == "set-model-and-conf")["client_uid"]!;
        var system = _server.App.Services.GetRequiredService<ActorSystem>();
        return (client, system.ActorSelection($"/user/sessions/session-{clientUid}"));
    }

    [Fact]
    public async Task A_crashed_session_keeps_its_socket_tells_the_client_once_and_remembers_the_conversation()
    {
        var (client, session) = await ConnectAsync();
        await using var _ = client;
        await client.SendAsync(new { type = "create-new-history" });
        await client.ReceiveUntilAsync("new-history-created");
        _server.Llm.ReplyTo("my name is Restart Bob", new FakeReply(["Hello Bob."]));
        await TextTurnTests.RunTurnAsync(client, "my name is Restart Bob");

        session.Tell(Kill.Instance); // any exception in a handler takes the same path through the supervisor

        var error = (await client.ReceiveUntilAsync("error"))[^1];
        Assert.Contains("was restarted", (string?)error["message"]);
        await client.SendAsync(new { type = "heartbeat" });
        await client.ReceiveUntilAsync("heartbeat-ack");
        _server.Llm.ReplyTo("what is my name?", new FakeReply(["Bob."]));
        var before = _server.Llm.Requests.Count;
        await TextTurnTests.RunTurnAsync(client, "what is my name?");
        var request = await _server.Llm.WaitForRequestAsync(before, TimeSpan.FromSeconds(10));
        // The memory was rebuilt from the history in the journal: the earlier exchange is in the prompt.
        Assert.Equal(["user:my name is Restart Bob", "assistant:Hello Bob.", "user:what is my name?"],
            request.Messages.Skip(1).Select(m => $"{m!["role"]}:{TextTurnTests.TextOf(m)}"));
        Assert.Single(client.Received, f => OlvClient.Type(f) == "error");
    }

    [Fact]
    public async Task A_session_that_keeps_crashing_is_stopped_and_its_socket_closed()
    {
        var (client, session) = await ConnectAsync();
        await using var _ = client;

        for (var i = 0; i <= SessionsSupervisor.MaxRestarts; i++)
        {
            session.Tell(Kill.Instance);
            if (i < SessionsSupervisor.MaxRestarts) await client.ReceiveUntilAsync("error");
        }

        var closed = false;
        for (var attempt = 0; attempt < 20 && !closed; attempt++)
        {
            try
            {
                await client.ReceiveAsync(TimeSpan.FromSeconds(1)); // the errors of the restarts before
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or TimeoutException)
            {
                closed = client.State != System.Net.WebSockets.WebSocketState.Open;
            }
        }
        Assert.True(closed, "the socket of a session that keeps crashing is closed");
    }
}
