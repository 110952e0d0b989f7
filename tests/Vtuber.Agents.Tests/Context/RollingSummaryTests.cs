using System.Text.RegularExpressions;
using Vtuber.Agents.Context;
using Vtuber.Testing;

namespace Vtuber.Agents.Tests.Context;

/// <summary>Folds run against the fake OpenAI server over real SSE, as the session runs them after each reply.</summary>
public sealed partial class RollingSummaryTests
{
    [GeneratedRegex(@"fact-\d+")]
    private static partial Regex Fact();

    [Fact]
    public async Task A_300_turn_conversation_stays_under_the_budget_and_still_knows_the_first_turns_fact()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        llm.RecordRequests = false;
        llm.DefaultReply = new FakeReply(["[joy] That sounds lovely, tell me more!"]);
        // The fake model summarises by keeping every fact-N it is shown.
        llm.Answer = request => request.Messages[^1]!["content"]!.GetValue<string>() is var ask &&
                                ask.StartsWith(RollingSummary.InstructionStart, StringComparison.Ordinal)
            ? new FakeReply(["So far: " + string.Join(", ", Fact().Matches(ask).Select(m => m.Value).Distinct())])
            : null;
        using var http = new HttpClient();
        var settings = new LlmProviderSettings("openai_compatible_llm", llm.BaseUrl, "k", "gpt-4o", 0.7,
            InterruptMethod.User, null, null) { ContextWindowTokens = 2048, ReplyReserveTokens = 512 };
        var agent = new ChatAgent(LlmProviders.CreateClient(settings, http), settings, TestProviders.SystemPrompt);

        var largest = 0;
        var folds = 0;
        ChatRequest request = null!;
        for (var turn = 1; turn <= 300; turn++)
        {
            request = agent.BeginTurn(TestProviders.Text(turn == 1
                ? "Remember fact-1: my cat is called Biscuit."
                : $"Turn {turn}: more small talk about the weather and what I had for lunch."), record: (turn - 1) * 2);
            largest = Math.Max(largest, request.Messages.Sum(m => agent.Tokens.CountMessage(m.Text)) + PromptTokenCounter.ReplyPriming);
            var reply = new System.Text.StringBuilder();
            await foreach (var token in agent.StreamAsync(request, CancellationToken.None))
            {
                reply.Append(token);
            }
            agent.CompleteTurn(reply.ToString());
            while (agent.PlanSummary() is { } job)
            {
                Assert.True(agent.ApplySummary(job, await agent.SummarizeAsync(job, CancellationToken.None)));
                folds++;
            }
        }

        Assert.InRange(largest, 1, agent.PromptBudget);
        Assert.True(folds > 5, $"{folds} folds");
        Assert.Contains("fact-1", request.Messages[0].Text);
        Assert.DoesNotContain(request.Messages, m => m.Text.StartsWith("Remember fact-1", StringComparison.Ordinal));
        Assert.True(agent.Memory.Count < 100, "folded turns leave the memory");
    }

    [Fact]
    public void A_summary_is_cleaned_of_reasoning_and_capped()
    {
        var counter = PromptTokenCounter.For("gpt-4o");

        Assert.Equal("We talked about cats.", RollingSummary.Clean("<think>what to keep?</think>\n We talked about cats. ", counter, 64));
        Assert.Equal("", RollingSummary.Clean("<think>never closed", counter, 64));
        Assert.InRange(counter.Count(RollingSummary.Clean(string.Concat(Enumerable.Repeat("word ", 1000)), counter, 64)), 100, 128);
    }
}
