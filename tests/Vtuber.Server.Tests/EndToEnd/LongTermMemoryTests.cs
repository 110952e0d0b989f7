using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vtuber.Agents.Memory;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>
/// Long-term memory end to end: turns over the real socket, embeddings from the loopback OpenAI /v1/embeddings fake
/// (bag-of-words vectors), and assertions on the prompts the fake LLM receives and on /api/memories.
/// </summary>
public sealed class LongTermMemoryTests
{
    private const string Fact = "my cat is named Biscuit";
    private const string Question = "what is my cat called";

    private static ServerFolder Folder(FakeOpenAiServer llm, FakeSpeechServer tts, FakeEmbeddingServer embeddings,
        bool enabled = true) =>
        ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, extraCharacterYaml: $"""
              long_term_memory:
                enabled: {(enabled ? "true" : "false")}
                embedding:
                  provider: 'openai'
                  base_url: '{embeddings.BaseUrl}'
                  api_key: 'embedding-key'
                  model: 'fake-embedding'
                top_k: 3
                min_score: 0.3
            """);

    private static string? RecalledNoteOf(RecordedChatRequest request) =>
        request.Messages.Select(TextTurnTests.TextOf).FirstOrDefault(t => t?.StartsWith(RecalledNote.Heading, StringComparison.Ordinal) == true);

    private static async Task<string> NewHistoryAsync(OlvClient client)
    {
        await client.SendAsync(new { type = "create-new-history" });
        return (string)(await client.ReceiveUntilAsync("new-history-created"))[^1]["history_uid"]!;
    }

    /// <summary>The prompt of one text turn, the request the fake LLM received for it.</summary>
    private static async Task<RecordedChatRequest> TurnPromptAsync(FakeOpenAiServer llm, OlvClient client, string text)
    {
        var before = llm.Requests.Count;
        await TextTurnTests.RunTurnAsync(client, text);
        return llm.Requests.Skip(before).Single(r => TextTurnTests.TextOf(r.Messages[^1]) == text);
    }

    private static async Task<JsonArray> MemoriesAsync(RunningServer server, string confUid)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        return (await http.GetFromJsonAsync<JsonObject>($"/api/memories?conf_uid={confUid}"))!["memories"]!.AsArray();
    }

    // A finished turn is embedded and stored in the background.
    private static async Task<JsonArray> MemoriesWhenAsync(RunningServer server, string confUid, Func<JsonArray, bool> condition)
    {
        JsonArray memories = [];
        await Eventually.TrueAsync(async () => condition(memories = await MemoriesAsync(server, confUid)),
            TimeSpan.FromSeconds(15), "the memories never matched");
        return memories;
    }

    [Fact]
    public async Task A_fact_told_in_one_history_is_recalled_in_another_of_the_same_character_after_a_restart_and_not_by_another_character()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var embeddings = await FakeEmbeddingServer.StartAsync();
        var folder = Folder(llm, tts, embeddings);
        string first;
        await using (var server = await RunningServer.StartAsync(folder, llm, tts))
        {
            await using var client = await server.ConnectPastGreetingAsync();
            first = await NewHistoryAsync(client);
            var told = await TurnPromptAsync(llm, client, Fact);
            Assert.Null(RecalledNoteOf(told)); // nothing to recall yet
            var stored = await MemoriesWhenAsync(server, "mao_pro_001", m => m.Count == 1);
            Assert.Equal(first, (string?)stored[0]!["history_uid"]);
            Assert.Equal(0, (int)stored[0]!["record"]!);
            Assert.Contains(Fact, (string?)stored[0]!["text"]);

            // The same history does not recall its own turns: they are in the prompt already.
            Assert.Null(RecalledNoteOf(await TurnPromptAsync(llm, client, Question)));

            await NewHistoryAsync(client);
            var recalled = RecalledNoteOf(await TurnPromptAsync(llm, client, Question));
            Assert.NotNull(recalled);
            Assert.Contains("Biscuit", recalled);
            Assert.Contains($"[{DateTime.Now:yyyy-MM-dd}]", recalled);
            await server.StopAsync();
        }

        await using (var restarted = await RunningServer.StartAsync(folder, llm, tts))
        {
            Assert.Contains(await MemoriesAsync(restarted, "mao_pro_001"), m => (string?)m!["history_uid"] == first);
            await using var client = await restarted.ConnectPastGreetingAsync();
            await NewHistoryAsync(client);
            Assert.Contains("Biscuit", RecalledNoteOf(await TurnPromptAsync(llm, client, Question)));

            // Another character (another conf_uid) recalls nothing of Mao's.
            await client.SendAsync(new { type = "switch-config", file = "en_unhelpful_ai.yaml" });
            await client.ReceiveUntilAsync("config-switched");
            await NewHistoryAsync(client);
            var other = await TurnPromptAsync(llm, client, Question);
            Assert.Null(RecalledNoteOf(other));
            Assert.DoesNotContain(other.Messages, m => TextTurnTests.TextOf(m)?.Contains("Biscuit") == true);
            Assert.DoesNotContain(await MemoriesAsync(restarted, "unhelpful_ai_001"),
                m => ((string?)m!["text"])!.Contains("Biscuit"));
        }
    }

    [Fact]
    public async Task Deleting_a_history_or_a_memory_removes_it_from_the_table_and_from_recall()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var embeddings = await FakeEmbeddingServer.StartAsync();
        await using var server = await RunningServer.StartAsync(Folder(llm, tts, embeddings), llm, tts);
        await using var client = await server.ConnectPastGreetingAsync();
        var first = await NewHistoryAsync(client);
        await TurnPromptAsync(llm, client, Fact);
        var second = await NewHistoryAsync(client);
        await TurnPromptAsync(llm, client, "my dog is named Rex");
        await MemoriesWhenAsync(server, "mao_pro_001", m => m.Count == 2);

        await client.SendAsync(new { type = "delete-history", history_uid = first });
        await client.ReceiveUntilAsync("history-deleted");
        var left = await MemoriesWhenAsync(server, "mao_pro_001", m => m.Count == 1);
        Assert.Equal(second, (string?)left[0]!["history_uid"]);
        await NewHistoryAsync(client);
        Assert.DoesNotContain("Biscuit", RecalledNoteOf(await TurnPromptAsync(llm, client, Question)) ?? "");

        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var id = (string)left[0]!["id"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/memories/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"/api/memories/{id}")).StatusCode);
        Assert.DoesNotContain(await MemoriesAsync(server, "mao_pro_001"), m => (string?)m!["id"] == id);
        await NewHistoryAsync(client);
        // The question asked after the first delete is a memory of its own now: only Rex must be gone.
        Assert.DoesNotContain("Rex", RecalledNoteOf(await TurnPromptAsync(llm, client, "what is my dog called")) ?? "");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/memories")).StatusCode);
    }

    [Fact]
    public async Task With_memory_off_nothing_is_embedded_stored_or_added_to_the_prompt()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var embeddings = await FakeEmbeddingServer.StartAsync();
        await using var server = await RunningServer.StartAsync(Folder(llm, tts, embeddings, enabled: false), llm, tts);
        await using var client = await server.ConnectPastGreetingAsync();
        await NewHistoryAsync(client);
        await TurnPromptAsync(llm, client, Fact);
        await NewHistoryAsync(client);
        var prompt = await TurnPromptAsync(llm, client, Question);

        Assert.Equal(["system", "user"], prompt.Messages.Select(m => (string?)m!["role"]));
        Assert.Equal(0, embeddings.RequestCount);
        Assert.Empty(await MemoriesAsync(server, "mao_pro_001"));
    }

    [Fact]
    public async Task An_embedding_outage_lets_turns_go_on_without_recall_and_is_logged_once()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var embeddings = await FakeEmbeddingServer.StartAsync();
        var logs = new CapturedLogs();
        await using var server = await RunningServer.StartAsync(Folder(llm, tts, embeddings), llm, tts, customize: logs.AddTo);
        await using var client = await server.ConnectPastGreetingAsync();
        await NewHistoryAsync(client);
        await TurnPromptAsync(llm, client, Fact);
        await MemoriesWhenAsync(server, "mao_pro_001", m => m.Count == 1);

        embeddings.FailWithStatus = 503;
        await NewHistoryAsync(client);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(RecalledNoteOf(await TurnPromptAsync(llm, client, Question)));
        }
        await Eventually.TrueAsync(() => logs.Warnings.Any(w => w.Contains("embedding provider", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10));
        Assert.Single(logs.Warnings, w => w.Contains("embedding provider 'openai' failed", StringComparison.Ordinal));

        embeddings.FailWithStatus = null;
        await NewHistoryAsync(client);
        Assert.Contains("Biscuit", RecalledNoteOf(await TurnPromptAsync(llm, client, Question)));
    }
}
