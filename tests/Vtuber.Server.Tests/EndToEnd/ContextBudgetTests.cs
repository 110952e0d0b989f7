using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vtuber.Agents.Context;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>
/// The prompt budget end to end: a long conversation over the real socket against the fake OpenAI server, whose
/// recorded requests are counted with the same tokenizer the server uses (tiktoken o200k_base for gpt-4o).
/// </summary>
public sealed partial class ContextBudgetTests
{
    private const int Window = 2048;
    private const int Reserve = 512;
    private const int Budget = Window - Reserve;

    private static readonly PromptTokenCounter Counter = PromptTokenCounter.For("gpt-4o");

    private static ServerFolder Folder(FakeOpenAiServer llm, FakeSpeechServer tts) =>
        ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, llmProvider: ("openai_llm", $"""
            base_url: '{llm.BaseUrl}'
            llm_api_key: 'test-key'
            model: 'gpt-4o'
            context_window_tokens: {Window}
            reply_reserve_tokens: {Reserve}
            """));

    private static string Said(int turn) => turn == 1
        ? "Please remember fact-1: my cat is called Biscuit."
        : $"Turn {turn}: here is some more small talk about the weather, the news and what I had for lunch today.";

    private static bool IsSummary(RecordedChatRequest request) =>
        TextTurnTests.TextOf(request.Messages[^1]) is { } text && text.StartsWith(RollingSummary.InstructionStart, StringComparison.Ordinal);

    private static int PromptTokens(RecordedChatRequest request) =>
        request.Messages.Sum(m => Counter.CountMessage(TextTurnTests.TextOf(m) ?? "")) + PromptTokenCounter.ReplyPriming;

    // The fake "model" summarises by keeping every fact-N it is shown (in its previous notes or the conversation).
    private static FakeReply SummaryOf(RecordedChatRequest request) =>
        new(["So far: ", string.Join(", ", Fact().Matches(TextTurnTests.TextOf(request.Messages[^1])!).Select(m => m.Value).Distinct()) + "."]);

    [GeneratedRegex(@"fact-\d+")]
    private static partial Regex Fact();

    [Fact]
    public async Task A_long_conversation_stays_within_the_budget_and_its_journaled_summary_is_used_after_a_restart()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.DefaultReply = new FakeReply(["I see, tell me more about that."]);
        llm.Answer = request => IsSummary(request) ? SummaryOf(request) : null;
        var folder = Folder(llm, tts);
        const int turns = 60;
        string historyUid;
        await using (var first = await RunningServer.StartAsync(folder, llm, tts))
        {
            await using var client = await first.ConnectPastGreetingAsync();
            await client.SendAsync(new { type = "create-new-history" });
            historyUid = (string)(await client.ReceiveUntilAsync("new-history-created"))[^1]["history_uid"]!;
            for (var turn = 1; turn <= turns; turn++)
            {
                await TextTurnTests.RunTurnAsync(client, Said(turn));
            }
            await first.StopAsync();
        }

        var requests = llm.Requests;
        var turnRequests = requests.Where(r => !IsSummary(r)).ToList();
        var summaries = requests.Where(IsSummary).ToList();
        Assert.Equal(turns, turnRequests.Count);
        Assert.All(turnRequests, r => Assert.InRange(PromptTokens(r), 1, Budget));
        Assert.NotEmpty(summaries);
        Assert.All(summaries, s => Assert.InRange(PromptTokens(s) + RollingSummary.TokensFor(Budget), 1, Budget));
        // A summary is asked for after a turn's reply, never in front of the turn: the request before it is a turn,
        // and the newest turn is not in it (it stays whole in the prompt).
        for (var i = 0; i < requests.Count; i++)
        {
            if (IsSummary(requests[i]))
            {
                Assert.True(i > 0, "a summary came before any turn");
                var previousTurn = requests.Take(i).Last(r => !IsSummary(r));
                Assert.DoesNotContain(TextTurnTests.TextOf(previousTurn.Messages[^1])!, TextTurnTests.TextOf(requests[i].Messages[^1]));
            }
        }
        // The last turn no longer carries the first turn's words, but its summary does.
        var last = turnRequests[^1];
        Assert.DoesNotContain(last.Messages, m => TextTurnTests.TextOf(m) == Said(1));
        Assert.Contains("fact-1", TextTurnTests.TextOf(last.Messages[0]));

        // After a restart: the history still holds every record, and loading it uses the journaled summary.
        await using var second = await RunningServer.StartAsync(folder, llm, tts);
        using var http = new HttpClient { BaseAddress = second.BaseUri };
        var stored = await http.GetFromJsonAsync<JsonObject>($"/api/histories/mao_pro_001/{historyUid}?limit=1");
        Assert.Equal(turns * 2, (int)stored!["total"]!);

        await using var again = await second.ConnectPastGreetingAsync();
        await again.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
        var shown = (await again.ReceiveUntilAsync("history-data"))[^1]["messages"]!.AsArray();
        Assert.Equal(turns * 2, shown.Count); // the frontend is shown the whole conversation
        var before = llm.Requests.Count;
        await TextTurnTests.RunTurnAsync(again, "What do you remember about my cat?");
        var reloaded = (await llm.WaitForRequestAsync(before, TimeSpan.FromSeconds(10)));
        Assert.False(IsSummary(reloaded), "the reload summarised nothing again before the turn");
        Assert.Contains("fact-1", TextTurnTests.TextOf(reloaded.Messages[0]));
        Assert.DoesNotContain(reloaded.Messages, m => TextTurnTests.TextOf(m) == Said(1));
        Assert.InRange(PromptTokens(reloaded), 1, Budget);
    }

    [Fact]
    public async Task A_failing_summary_leaves_the_oldest_turns_out_logs_once_and_is_retried_after_the_next_turn()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.DefaultReply = new FakeReply(["I see, tell me more about that."]);
        var failing = true;
        llm.Answer = request => !IsSummary(request) ? null
            : Volatile.Read(ref failing) ? new FakeReply([]) { FailWithStatus = 503 } : SummaryOf(request);
        var logs = new CapturedLogs();
        await using var server = await RunningServer.StartAsync(Folder(llm, tts), llm, tts, customize: logs.AddTo);
        await using var client = await server.ConnectPastGreetingAsync();

        // Until the budget is full and the summary has failed a few times (a fold is due from three quarters on).
        var turn = 0;
        while (llm.Requests.Count(IsSummary) < 3 ||
               llm.Requests.Last(r => !IsSummary(r)).Messages.Any(m => TextTurnTests.TextOf(m) == Said(1)))
        {
            await TextTurnTests.RunTurnAsync(client, Said(++turn));
            Assert.True(turn < 100, "no summary was asked for");
        }

        // Akka's log lines reach the logger asynchronously.
        await Eventually.TrueAsync(() => logs.Warnings.Any(w => w.Contains("rolling summary", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10));
        Assert.Single(logs.Warnings, w => w.Contains("the rolling summary failed (HTTP 503", StringComparison.Ordinal));
        var beforeRecovery = llm.Requests.Where(r => !IsSummary(r)).ToList();
        Assert.All(beforeRecovery, r => Assert.InRange(PromptTokens(r), 1, Budget));
        Assert.DoesNotContain(beforeRecovery[^1].Messages, m => TextTurnTests.TextOf(m) == Said(1));

        // The LLM is back: the retry after the next turn folds, and the first turn's fact returns through the summary.
        Volatile.Write(ref failing, false);
        for (var retries = 0; !TextTurnTests.TextOf(llm.Requests.Last(r => !IsSummary(r)).Messages[0])!.Contains("fact-1"); retries++)
        {
            Assert.True(retries < 10, "the summary was not retried after the next turns");
            await TextTurnTests.RunTurnAsync(client, Said(++turn));
        }
    }

    [Fact]
    public async Task A_summary_that_never_answers_never_holds_up_a_turn()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.DefaultReply = new FakeReply(["I see, tell me more about that."]);
        llm.Answer = request => IsSummary(request) ? new FakeReply([]) { Hang = true } : null;
        await using var server = await RunningServer.StartAsync(Folder(llm, tts), llm, tts);
        await using var client = await server.ConnectPastGreetingAsync();

        for (var turn = 1; turn <= 40; turn++)
        {
            await TextTurnTests.RunTurnAsync(client, Said(turn)); // every turn gets its audio
        }

        var requests = llm.Requests;
        Assert.True(requests.Count(IsSummary) >= 2, "each new turn cancelled the hanging summary; it was asked again after");
        Assert.All(requests.Where(r => !IsSummary(r)), r => Assert.InRange(PromptTokens(r), 1, Budget));
        // Until a summary exists the oldest turns are dropped: the last prompt has no summary and not the first turn.
        var last = requests.Last(r => !IsSummary(r));
        Assert.DoesNotContain("fact-1", TextTurnTests.TextOf(last.Messages[0]));
        Assert.DoesNotContain(last.Messages, m => TextTurnTests.TextOf(m) == Said(1));
        // Cancelled summaries let go of their requests: only the newest one may still hang.
        await Eventually.TrueAsync(() => llm.ActiveStreams <= 1, TimeSpan.FromSeconds(10));
    }
}
