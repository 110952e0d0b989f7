using Microsoft.Extensions.AI;
using Vtuber.Agents.Context;
using Vtuber.Domain.History;
using static Vtuber.Agents.Tests.TestProviders;

namespace Vtuber.Agents.Tests.Context;

public sealed class ChatAgentBudgetTests
{
    // A 1,024-token window with 256 kept for the reply: prompts get 768 tokens.
    private static ChatAgent SmallAgent(string model = "gpt-4o")
    {
        var settings = Settings(new Uri("http://127.0.0.1:1/v1")) with { Model = model };
        settings = settings with { ContextWindowTokens = 1024, ReplyReserveTokens = 256 };
        return new ChatAgent(LlmProviders.CreateClient(settings), settings, SystemPrompt);
    }

    private static string Sentence(int turn) =>
        $"Turn {turn}: this is a sentence of the long conversation, long enough to fill the small window soon.";

    private static int PromptTokens(ChatAgent agent, ChatRequest request) =>
        request.Messages.Sum(m => agent.Tokens.CountMessage(m.Text)) + PromptTokenCounter.ReplyPriming;

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("qwen2.5:latest")]
    public void A_long_conversation_never_sends_more_than_the_budget(string model)
    {
        var agent = SmallAgent(model);
        var counts = new List<int>();
        for (var turn = 1; turn <= 100; turn++)
        {
            var request = agent.BeginTurn(Text(Sentence(turn)));
            counts.Add(PromptTokens(agent, request));
            Assert.Equal(SystemPrompt, request.Messages[0].Text);
            Assert.Equal(Sentence(turn), request.Messages[^1].Text);
            agent.CompleteTurn($"Reply {turn}: I hear you, and I will remember what you said in this turn.");
        }

        Assert.All(counts, count => Assert.InRange(count, 1, agent.PromptBudget));
        Assert.True(counts[^1] > agent.PromptBudget * 3 / 4, $"the budget is used, not wasted: {counts[^1]}");
        // Nothing is forgotten before a fold takes it: the memory still holds every turn.
        Assert.Equal(200, agent.Memory.Count);
    }

    [Fact]
    public void The_oldest_turns_are_dropped_whole_and_the_newest_kept()
    {
        var agent = SmallAgent();
        for (var turn = 1; turn <= 40; turn++)
        {
            agent.BeginTurn(Text(Sentence(turn)));
            agent.CompleteTurn($"Reply {turn}.");
        }

        var request = agent.BeginTurn(Text("and now?"));

        Assert.Equal(ChatRole.User, request.Messages[1].Role); // the first kept message starts a turn
        Assert.Equal("Reply 40.", request.Messages[^2].Text);
        Assert.DoesNotContain(request.Messages, m => m.Text == Sentence(1));
    }

    [Fact]
    public void No_fold_is_planned_while_the_memory_fits()
    {
        var agent = SmallAgent();
        agent.BeginTurn(Text("hello"));
        agent.CompleteTurn("Hi!");

        Assert.Null(agent.PlanSummary());
    }

    [Fact]
    public void A_fold_summarises_the_oldest_turns_and_the_summary_joins_the_system_prompt()
    {
        var agent = SmallAgent();
        var turn = 0;
        SummaryJob? job = null;
        while (job is null)
        {
            turn++;
            agent.BeginTurn(Text(Sentence(turn)), record: (turn - 1) * 2);
            agent.CompleteTurn($"Reply {turn}.");
            job = agent.PlanSummary();
        }

        var ask = job.Request.Messages[^1].Text;
        Assert.Equal(SystemPrompt, job.Request.Messages[0].Text); // the character's own voice
        Assert.StartsWith(RollingSummary.InstructionStart, ask);
        Assert.Contains("User: " + Sentence(1), ask);
        Assert.Contains("You: Reply 1.", ask);
        Assert.DoesNotContain(Sentence(turn), ask); // the newest turn stays whole
        Assert.Equal(RollingSummary.TokensFor(agent.PromptBudget), job.Request.Options.MaxOutputTokens);
        Assert.True(PromptTokens(agent, job.Request) + job.MaxTokens <= agent.PromptBudget);
        // The records it stands for: everything before the human record of the first kept turn.
        Assert.Equal(job.Cut, job.CoversRecords);

        Assert.True(agent.ApplySummary(job, "The user counts turns with me."));

        var request = agent.BeginTurn(Text("what do you know?"));
        Assert.Equal(SystemPrompt + RollingSummary.Note("The user counts turns with me."), request.Messages[0].Text);
        Assert.Equal(Sentence(job.Cut / 2 + 1), request.Messages[1].Text);
        Assert.Equal("The user counts turns with me.", agent.Summary);
        Assert.False(agent.ApplySummary(job, "again"), "a job is applied once");
    }

    [Fact]
    public void A_fold_planned_before_the_memory_was_replaced_is_not_applied()
    {
        var agent = SmallAgent();
        SummaryJob? job = null;
        for (var turn = 1; job is null; turn++)
        {
            agent.BeginTurn(Text(Sentence(turn)));
            agent.CompleteTurn($"Reply {turn}.");
            job = agent.PlanSummary();
        }

        agent.LoadFromHistory([]);

        Assert.False(agent.ApplySummary(job, "stale"));
        Assert.Null(agent.Summary);
    }

    [Fact]
    public void A_loaded_history_with_a_summary_skips_the_records_it_covers()
    {
        var agent = SmallAgent();
        agent.LoadFromHistory(
            [
                new ChatRecord("human", "t", "my cat is Biscuit"), new ChatRecord("ai", "t", "Cute!"),
                new ChatRecord("human", "t", "and my dog?"), new ChatRecord("ai", "t", "Tell me."),
            ],
            summary: "The user has a cat named Biscuit.", summaryCovers: 2);

        var request = agent.BeginTurn(Text("remember?"));

        Assert.Equal(
            [SystemPrompt + RollingSummary.Note("The user has a cat named Biscuit."), "and my dog?", "Tell me.", "remember?"],
            request.Messages.Select(m => m.Text));
    }

    [Fact]
    public void The_summary_moves_with_the_memory_to_a_new_agent()
    {
        var agent = SmallAgent();
        agent.LoadFromHistory([new ChatRecord("human", "t", "b"), new ChatRecord("ai", "t", "c")], "a", 0);

        var moved = SmallAgent();
        moved.TakeMemoryFrom(agent);

        Assert.Equal("a", moved.Summary);
        Assert.Equal(agent.Memory, moved.Memory);
    }
}
