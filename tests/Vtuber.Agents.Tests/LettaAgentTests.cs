using Vtuber.Domain.Config;
using Vtuber.Domain.History;
using Vtuber.Testing;
using static Vtuber.Agents.Tests.TestProviders;

namespace Vtuber.Agents.Tests;

public sealed class LettaAgentTests : ProviderContract<FakeLettaServer>
{
    protected override Task<FakeLettaServer> StartFakeAsync() => FakeLettaServer.StartAsync();

    protected override LlmProviderSettings Settings(FakeLettaServer fake) =>
        LlmProviders.Resolve(new AgentConfig
        {
            ConversationAgentChoice = "letta_agent",
            LettaAgent = new LettaAgentConfig { Host = fake.Origin.Host, Port = fake.Origin.Port, Id = FakeLettaServer.AgentId },
        }, "/olv/conf.yaml");

    protected override string HttpCause(int status) => status switch
    {
        500 => "HTTP 500 Internal Server Error",
        _ => "HTTP 429 Too Many Requests",
    };

    [Fact]
    public async Task Only_the_new_user_text_is_sent_and_only_assistant_messages_are_spoken()
    {
        Fake.Enqueue(new FakeReply(["[joy] Hello", " again!"]));
        var agent = Agent();
        agent.LoadFromHistory([new ChatRecord("human", "2026-02-11T13:14:31", "earlier words", "Human")]);

        var deltas = await CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi Letta")), CancellationToken.None));

        Assert.Equal(["[joy] Hello", " again!"], deltas);
        var request = Assert.Single(Fake.Requests);
        Assert.Equal($"/v1/agents/{FakeLettaServer.AgentId}/messages/stream", request.Path);
        Assert.Equal("""{"messages":[{"role":"user","content":"hi Letta"}],"stream_tokens":true}""", request.Body.ToJsonString());
    }

    [Fact]
    public async Task An_agent_id_the_server_does_not_know_is_a_provider_exception_naming_letta_agent()
    {
        var agent = Agent(s => s with { Model = "agent-missing" });

        var failure = await Assert.ThrowsAsync<LlmProviderException>(
            () => CollectAsync(agent.StreamAsync(agent.BeginTurn(Text("hi")), CancellationToken.None)));

        Assert.Equal(("letta_agent", "HTTP 404 Not Found"), (failure.Provider, failure.Cause));
    }

    [Fact]
    public void Letta_is_chosen_by_conversation_agent_choice_and_needs_an_agent_id()
    {
        var agent = new AgentConfig { ConversationAgentChoice = "letta_agent", LettaAgent = new LettaAgentConfig { Id = "agent-1" } };

        var settings = LlmProviders.Resolve(agent, "/olv/conf.yaml");
        var error = Assert.Throws<ConfigException>(() =>
            LlmProviders.Resolve(agent with { LettaAgent = new LettaAgentConfig() }, "/olv/conf.yaml"));

        Assert.Equal((LlmApi.Letta, new Uri("http://localhost:8283"), "agent-1"), (settings.Api, settings.BaseUrl, settings.Model));
        Assert.IsType<LettaChatClient>(LlmProviders.CreateClient(settings));
        Assert.Equal("character_config.agent_config.agent_settings.letta_agent.id", error.KeyPath);
    }
}
