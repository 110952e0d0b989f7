using System.Diagnostics;
using System.Text.RegularExpressions;
using Vtuber.Agents;
using Vtuber.Agents.Context;
using Vtuber.Testing;

namespace Vtuber.Bench;

/// <summary>
/// Prompt tokens per turn over a long conversation (issue 14), with the context budget and without it (a window so
/// large that nothing is dropped: what OLV sends), against the fake OpenAI server over real SSE. The agents run as the
/// session runs them: a turn, then a fold when the agent plans one. The fake summarises by keeping every "fact-N" it
/// is shown, so the curve also says whether the first turn's fact is still in the last prompt.
/// </summary>
public static partial class ContextBench
{
    // The largest context_window_tokens there is: nothing is ever left out.
    private const int Unbounded = 10_000_000;

    public static async Task RunAsync(int turns, int window)
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        llm.RecordRequests = false;
        llm.DefaultReply = new FakeReply(["[joy] That sounds lovely! ", "Tell me more about your day, I want to hear everything."]);
        llm.Answer = request =>
        {
            var ask = request.Messages[^1]!["content"]!.GetValue<string>();
            return ask.StartsWith(RollingSummary.InstructionStart, StringComparison.Ordinal)
                ? new FakeReply(["So far: " + string.Join(", ", Fact().Matches(ask).Select(m => m.Value).Distinct()) + "."])
                : null;
        };
        using var http = new HttpClient();
        const string system = "You are Mao, a cheerful VTuber. Answer briefly, in a friendly voice, and use expression tags like [joy].";
        var bounded = Agent(llm, http, system, window);
        var unbounded = Agent(llm, http, system, Unbounded);

        var rows = new List<(int Turn, int Bounded, int Unbounded)>();
        var beginTurn = new List<double>();
        var folds = 0;
        var foldTime = new List<double>();
        string? lastSystem = null;
        for (var turn = 1; turn <= turns; turn++)
        {
            var said = turn == 1
                ? "Please remember fact-1: my cat is called Biscuit."
                : $"Turn {turn}: here is some more small talk about the weather, the news and what I had for lunch today.";
            var clock = Stopwatch.StartNew();
            var request = bounded.BeginTurn(new UserInput(said, []), record: (turn - 1) * 2);
            beginTurn.Add(clock.Elapsed.TotalMilliseconds);
            var boundedTokens = Tokens(bounded, request);
            bounded.CompleteTurn(await ReplyAsync(bounded, request));
            lastSystem = request.Messages[0].Text;
            var plain = unbounded.BeginTurn(new UserInput(said, []));
            var unboundedTokens = Tokens(unbounded, plain);
            unbounded.CompleteTurn(await ReplyAsync(unbounded, plain));
            rows.Add((turn, boundedTokens, unboundedTokens));

            while (bounded.PlanSummary() is { } job)
            {
                clock.Restart();
                bounded.ApplySummary(job, await bounded.SummarizeAsync(job, CancellationToken.None));
                foldTime.Add(clock.Elapsed.TotalMilliseconds);
                folds++;
            }
        }

        Console.WriteLine($"context: {turns} turns, model gpt-4o ({bounded.Tokens.Name}), window {window}, " +
                          $"prompt budget {bounded.PromptBudget} tokens");
        Console.WriteLine("turn    with budget   without");
        foreach (var row in rows.Where(r => r.Turn is 1 or 10 or 25 or 50 || r.Turn % 100 == 0 || r.Turn == turns).Distinct())
        {
            Console.WriteLine($"{row.Turn,4} {row.Bounded,12} {row.Unbounded,10}");
        }
        var late = rows.Skip(turns / 2).Select(r => r.Bounded).ToList();
        Console.WriteLine($"with budget: max {rows.Max(r => r.Bounded)} tokens, second half min {late.Min()} max {late.Max()}; " +
                          $"without: max {rows.Max(r => r.Unbounded)} tokens");
        Console.WriteLine($"folds: {folds}, {Median(foldTime):0.0} ms median each (fake LLM); BeginTurn {Median(beginTurn):0.000} ms median");
        Console.WriteLine($"first turn's fact in the last prompt (through the summary): {lastSystem?.Contains("fact-1", StringComparison.Ordinal)}");
    }

    private static ChatAgent Agent(FakeOpenAiServer llm, HttpClient http, string system, int window)
    {
        var settings = new LlmProviderSettings("openai_compatible_llm", llm.BaseUrl, "bench", "gpt-4o", 1.0,
            InterruptMethod.User, null, null) { ContextWindowTokens = window };
        return new ChatAgent(LlmProviders.CreateClient(settings, http), settings, system);
    }

    private static async Task<string> ReplyAsync(ChatAgent agent, ChatRequest request)
    {
        var reply = new System.Text.StringBuilder();
        await foreach (var token in agent.StreamAsync(request, CancellationToken.None))
        {
            reply.Append(token);
        }
        return reply.ToString();
    }

    private static int Tokens(ChatAgent agent, ChatRequest request) =>
        request.Messages.Sum(m => agent.Tokens.CountMessage(m.Text)) + PromptTokenCounter.ReplyPriming;

    private static double Median(List<double> values) =>
        values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);

    [GeneratedRegex(@"fact-\d+")]
    private static partial Regex Fact();
}
