using Microsoft.Extensions.AI;
using Vtuber.Domain.History;
using static Vtuber.Agents.Tests.TestProviders;

namespace Vtuber.Agents.Tests;

public sealed class ChatAgentMemoryTests
{
    private static MemoryEntry User(string content) => new("user", content);
    private static MemoryEntry Assistant(string content) => new("assistant", content);

    [Fact]
    public void Request_is_system_prompt_then_memory_then_the_new_user_message()
    {
        var agent = OfflineAgent();
        agent.BeginTurn(Text("hello"));
        agent.CompleteTurn("[joy] Hi! Nice to meet you.");

        var request = agent.BeginTurn(Text("how are you?"));

        Assert.Equal(
            [(ChatRole.System, SystemPrompt), (ChatRole.User, "hello"), (ChatRole.Assistant, "[joy] Hi! Nice to meet you."),
             (ChatRole.User, "how are you?")],
            request.Messages.Select(m => (m.Role, m.Text)));
        Assert.Equal("test-model", request.Options.ModelId);
        Assert.Equal(0.7f, request.Options.Temperature);
        Assert.Equal([User("hello"), Assistant("[joy] Hi! Nice to meet you."), User("how are you?")], agent.Memory);
    }

    [Fact]
    public void Request_is_a_snapshot_that_later_memory_changes_do_not_touch()
    {
        var agent = OfflineAgent();
        var request = agent.BeginTurn(Text("hello"));

        agent.CompleteTurn("Hi!");
        agent.BeginTurn(Text("again"));

        Assert.Equal(2, request.Messages.Count);
    }

    [Fact]
    public void Skip_memory_input_is_sent_but_not_remembered()
    {
        var agent = OfflineAgent();

        var request = agent.BeginTurn(new UserInput("Say something to the user.", [], SkipMemory: true));

        Assert.Equal("Say something to the user.", request.Messages[^1].Text);
        Assert.Empty(agent.Memory);
    }

    [Fact]
    public void Empty_and_whitespace_replies_are_not_stored()
    {
        var agent = OfflineAgent();
        agent.BeginTurn(Text("hello"));

        agent.CompleteTurn("");
        agent.CompleteTurn("  \n");

        Assert.Equal([User("hello")], agent.Memory);
    }

    [Fact]
    public void An_entry_identical_to_the_last_one_is_not_added_again()
    {
        var agent = OfflineAgent();
        agent.BeginTurn(Text("hello"));
        agent.CompleteTurn("Hi!");
        agent.CompleteTurn("Hi!");
        agent.BeginTurn(Text("hello"));
        agent.BeginTurn(Text("hello"));

        Assert.Equal([User("hello"), Assistant("Hi!"), User("hello")], agent.Memory);
    }

    [Theory]
    [InlineData(InterruptMethod.System, "system")]
    [InlineData(InterruptMethod.User, "user")]
    public void Interrupt_mid_reply_records_heard_text_and_marker(InterruptMethod method, string markerRole)
    {
        var agent = OfflineAgent(method);
        agent.BeginTurn(Text("Tell me two things."));

        agent.HandleInterrupt("Let me think.First point.");

        Assert.Equal(
            [User("Tell me two things."), Assistant("Let me think.First point...."), new MemoryEntry(markerRole, "[Interrupted by user]")],
            agent.Memory);
    }

    [Theory]
    [InlineData(InterruptMethod.System, "system")]
    [InlineData(InterruptMethod.User, "user")]
    public void Interrupt_after_the_reply_completed_replaces_it_with_the_heard_part(InterruptMethod method, string markerRole)
    {
        var agent = OfflineAgent(method);
        agent.BeginTurn(Text("Tell me two things."));
        agent.CompleteTurn("Let me think. First point. Second point.");

        agent.HandleInterrupt("Let me think.");

        Assert.Equal(
            [User("Tell me two things."), Assistant("Let me think...."), new MemoryEntry(markerRole, "[Interrupted by user]")],
            agent.Memory);
    }

    [Fact]
    public void Interrupt_before_anything_was_heard_records_only_the_marker()
    {
        var agent = OfflineAgent(InterruptMethod.System);
        agent.BeginTurn(Text("hello"));

        agent.HandleInterrupt("");

        Assert.Equal([User("hello"), new MemoryEntry("system", "[Interrupted by user]")], agent.Memory);
    }

    [Fact]
    public void Interrupt_runs_once_per_turn_and_again_after_the_next_turn_starts()
    {
        var agent = OfflineAgent(InterruptMethod.User);
        agent.BeginTurn(Text("one"));
        agent.HandleInterrupt("First.");
        agent.HandleInterrupt("First.Second.");

        Assert.Equal([User("one"), Assistant("First...."), User("[Interrupted by user]")], agent.Memory);

        agent.BeginTurn(Text("two"));
        agent.HandleInterrupt("Other.");

        Assert.Equal(
            [User("one"), Assistant("First...."), User("[Interrupted by user]"), User("two"), Assistant("Other...."),
             User("[Interrupted by user]")],
            agent.Memory);
    }

    [Theory]
    [InlineData(InterruptMethod.System, "system")]
    [InlineData(InterruptMethod.User, "user")]
    public void History_reload_maps_roles_and_skips_metadata_and_empty_records(InterruptMethod method, string markerRole)
    {
        var agent = OfflineAgent(method);
        agent.BeginTurn(Text("forgotten"));

        agent.LoadFromHistory(
        [
            new ChatRecord("metadata", "2026-02-11T13:14:30", ""),
            new ChatRecord("human", "2026-02-11T13:14:31", "hello", "Human"),
            new ChatRecord("ai", "2026-02-11T13:14:32", "[joy] Hi!", "Mao", "mao.png"),
            new ChatRecord("human", "2026-02-11T13:14:33", "tell me more", "Human"),
            new ChatRecord("ai", "2026-02-11T13:14:34", "Let me think.", "Mao", "mao.png"),
            new ChatRecord("system", "2026-02-11T13:14:34", "[Interrupted by user]"),
            new ChatRecord("ai", "2026-02-11T13:14:35", "", "Mao", "mao.png"),
            new ChatRecord("system", "2026-02-11T13:14:36", "Group started"),
        ]);

        Assert.Equal(
            [User("hello"), Assistant("[joy] Hi!"), User("tell me more"), Assistant("Let me think."),
             new MemoryEntry(markerRole, "[Interrupted by user]"), new MemoryEntry("system", "Group started")],
            agent.Memory);
    }

    [Fact]
    public void Reloading_an_empty_history_clears_memory()
    {
        var agent = OfflineAgent();
        agent.BeginTurn(Text("hello"));
        agent.CompleteTurn("Hi!");

        agent.LoadFromHistory([new ChatRecord("metadata", "2026-02-11T13:14:30", "")]);

        Assert.Empty(agent.Memory);
    }

    [Fact]
    public void Image_only_input_is_remembered_as_a_placeholder()
    {
        var agent = OfflineAgent();

        agent.BeginTurn(new UserInput("", [new ImageInput("camera", "data:image/png;base64,iVBORw0KGgo=", "image/png")]));

        Assert.Equal([User("[User provided image(s)]")], agent.Memory);
    }
}
