using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Vtuber.Server.Tests.Support;
using static Vtuber.Server.Tests.Support.OlvChatHistoryFolder;

namespace Vtuber.Server.Tests.History;

public sealed class OlvHistoryImportTests(OlvHistoryImportFixture fixture) : IClassFixture<OlvHistoryImportFixture>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.BaseUri };

    public void Dispose() => _http.Dispose();

    [Fact]
    public void Import_reports_every_file_and_refuses_bad_files_whole()
    {
        var import = fixture.FirstImport;
        var lines = WithoutProgress(import.Output);

        Assert.True(import.ExitCode == 1, $"exit {import.ExitCode}; stderr: {import.Error}");
        foreach (var file in ValidFiles)
        {
            Assert.Contains($"imported         {file}", lines);
        }
        foreach (var (file, reason) in InvalidFiles)
        {
            var line = Assert.Single(lines, l => l.Contains(file, StringComparison.Ordinal));
            Assert.StartsWith("failed: invalid", line);
            Assert.Contains(reason, line);
        }
        Assert.DoesNotContain(lines, l => l.Contains("notes.txt", StringComparison.Ordinal));
        Assert.Equal("5 imported, 0 skipped (already imported), 4 failed", lines[^1]);
    }

    /// <summary>
    /// The file lines without their "[n/total] " counts, after checking the counts: each line of the 9 files counts
    /// one more, in the order the files finished, and the summary line ends the output.
    /// </summary>
    private static string[] WithoutProgress(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var total = ValidFiles.Count + InvalidFiles.Count;
        Assert.Equal(Enumerable.Range(1, total).Select(n => $"[{n}/{total}]"), lines[..^1].Select(l => l[..l.IndexOf(' ')]));
        return [.. lines[..^1].Select(l => l[(l.IndexOf(' ') + 1)..]), lines[^1]];
    }

    [Fact]
    public void A_second_import_writes_nothing_and_says_so()
    {
        var again = fixture.SecondImport;
        var lines = WithoutProgress(again.Output);

        Assert.Equal(1, again.ExitCode);
        foreach (var file in ValidFiles)
        {
            Assert.Contains($"skipped          {file}", lines);
        }
        Assert.Equal("0 imported, 5 skipped (already imported), 4 failed", lines[^1]);
        Assert.Equal(fixture.JournalRowsAfterFirstImport, fixture.JournalRowsAfterSecondImport);
    }

    [Fact]
    public async Task Imported_histories_are_listed_and_loaded_through_the_protocol()
    {
        await using var client = await fixture.Server.ConnectPastGreetingAsync();

        await client.SendAsync(new { type = "fetch-history-list" });
        var list = (await client.ReceiveUntilAsync("history-list"))[^1]["histories"]!.AsArray();
        // Newest first by latest message; the empty history is not listed (as OLV); the other character's is not here.
        Assert.Equal([WithoutMetadata, WithHumeMetadata, Interrupted], list.Select(h => (string)h!["uid"]!));
        Assert.Equal("[Interrupted by user]", (string?)list[2]!["latest_message"]!["content"]);
        Assert.Equal("2026-01-05T10:00:09", (string?)list[2]!["timestamp"]);

        await client.SendAsync(new { type = "fetch-and-set-history", history_uid = WithHumeMetadata });
        var messages = (await client.ReceiveUntilAsync("history-data"))[^1]["messages"]!.AsArray();
        Assert.Equal(
            """[{"role":"human","timestamp":"2026-01-06T09:00:02","content":"今日はいい天気ですね","name":"ユーザー"},""" +
            """{"role":"ai","timestamp":"2026-01-06T09:00:04","content":"[joy] そうですね！散歩に行きましょう。","name":"Mao","avatar":""}]""",
            messages.ToJsonString(new System.Text.Json.JsonSerializerOptions
            {
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }));

        await client.SendAsync(new { type = "fetch-and-set-history", history_uid = Interrupted });
        var interrupted = (await client.ReceiveUntilAsync("history-data"))[^1]["messages"]!.AsArray();
        Assert.Equal(["human:Tell me a long story about the sea.", "ai:Once upon a time, far away"],
            interrupted.Select(m => $"{m!["role"]}:{m["content"]}"));
    }

    [Fact]
    public async Task Api_lists_a_characters_histories_newest_first_with_counts_and_metadata()
    {
        var page = await GetJsonAsync($"/api/histories?conf_uid={Mao}");

        Assert.Equal(4, (int)page["total"]!);
        var histories = page["histories"]!.AsArray();
        // Ordered by latest activity: the empty history counts from its creation (01-08), after every message.
        Assert.Equal([EmptyHistory, WithoutMetadata, WithHumeMetadata, Interrupted], histories.Select(h => (string)h!["uid"]!));
        Assert.Equal([0, 2, 2, 3], histories.Select(h => (int)h!["message_count"]!));
        Assert.Null(histories[0]!["latest_message"]);
        Assert.Equal("2026-01-07T08:00:00", (string?)histories[1]!["created"]); // from the uid: no metadata record
        Assert.Equal("""{"resume_id":"4f1c-resume","agent_type":"hume_ai_agent"}""", histories[2]!["metadata"]!.ToJsonString());
        Assert.Equal("Très bien, merci.", (string?)histories[1]!["latest_message"]!["content"]);

        var shizuku = await GetJsonAsync($"/api/histories?conf_uid={Shizuku}");
        Assert.Equal([ShizukuHistory], shizuku["histories"]!.AsArray().Select(h => (string)h!["uid"]!));
        Assert.Equal("你好！", (string?)shizuku["histories"]![0]!["latest_message"]!["content"]);

        var secondPage = await GetJsonAsync($"/api/histories?conf_uid={Mao}&limit=2&offset=1");
        Assert.Equal(4, (int)secondPage["total"]!);
        Assert.Equal([WithoutMetadata, WithHumeMetadata], secondPage["histories"]!.AsArray().Select(h => (string)h!["uid"]!));

        var none = await GetJsonAsync("/api/histories?conf_uid=nobody_here");
        Assert.Equal(0, (int)none["total"]!);
        Assert.Empty(none["histories"]!.AsArray());
    }

    [Fact]
    public async Task Api_reads_one_history_newest_first_in_pages()
    {
        var all = await GetJsonAsync($"/api/histories/{Mao}/{Interrupted}");
        Assert.Equal(3, (int)all["total"]!);
        Assert.Equal("2026-01-05T10:00:00", (string?)all["created"]);
        Assert.Equal(["system:[Interrupted by user]", "ai:Once upon a time, far away", "human:Tell me a long story about the sea."],
            all["records"]!.AsArray().Select(r => $"{r!["role"]}:{r["content"]}"));
        Assert.Equal("mao.png", (string?)all["records"]![1]!["avatar"]);
        Assert.Null(all["records"]![0]!["name"]); // OLV writes no name on system records; neither do we

        var page = await GetJsonAsync($"/api/histories/{Mao}/{Interrupted}?limit=1&offset=1");
        Assert.Equal(["ai:Once upon a time, far away"], page["records"]!.AsArray().Select(r => $"{r!["role"]}:{r["content"]}"));
        Assert.Equal(1, (int)page["offset"]!);
        Assert.Equal(1, (int)page["limit"]!);

        var past = await GetJsonAsync($"/api/histories/{Mao}/{Interrupted}?offset=10");
        Assert.Empty(past["records"]!.AsArray());
    }

    [Theory]
    [InlineData("/api/histories/mao_pro_001/2026-01-10_12-00-00_0707070707070707070707070707070a", HttpStatusCode.NotFound)] // refused file
    [InlineData("/api/histories/mao_pro_001/2030-01-01_00-00-00_00000000000000000000000000000000", HttpStatusCode.NotFound)]
    [InlineData("/api/histories/shizuku_002/2026-01-05_10-00-00_a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", HttpStatusCode.NotFound)] // other character
    [InlineData("/api/histories/mao_pro_001/not-a-uid", HttpStatusCode.BadRequest)]
    [InlineData("/api/histories/..%2F..%2Fetc/2026-01-05_10-00-00_a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", HttpStatusCode.BadRequest)]
    [InlineData("/api/histories/mao_pro_001/2026-01-05_10-00-00_a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/histories/mao_pro_001/2026-01-05_10-00-00_a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1?limit=501", HttpStatusCode.BadRequest)]
    [InlineData("/api/histories/mao_pro_001/2026-01-05_10-00-00_a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1?offset=-1", HttpStatusCode.BadRequest)]
    [InlineData("/api/histories?conf_uid=mao_pro_001&limit=ten", HttpStatusCode.BadRequest)]
    [InlineData("/api/histories?conf_uid=a%7Cb", HttpStatusCode.BadRequest)]
    [InlineData("/api/histories", HttpStatusCode.BadRequest)]
    public async Task Api_answers_unknown_histories_with_404_and_bad_ids_or_paging_with_400(string path, HttpStatusCode expected)
    {
        var response = await _http.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"];
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task Export_writes_back_the_imported_files_in_olvs_layout()
    {
        var outDir = Path.Combine(fixture.Folder.Root, "exported");
        var export = await ServerCommand.RunAsync("export-olv-history", outDir, "--config", fixture.Folder.ConfigPath);

        Assert.True(export.ExitCode == 0, $"exit {export.ExitCode}; stderr: {export.Error}");
        Assert.Equal(ValidFiles.Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(outDir, f)).Order(StringComparer.Ordinal));
        foreach (var file in ValidFiles)
        {
            var original = fixture.Olv.ReadOriginal(file).AsArray();
            if (file.Contains(WithoutMetadata, StringComparison.Ordinal))
            {
                // Exports always start with the metadata record; a file that had lost it gets its uid's time.
                original.Insert(0, new JsonObject { ["role"] = "metadata", ["timestamp"] = "2026-01-07T08:00:00" });
            }
            var bytes = await File.ReadAllBytesAsync(Path.Combine(outDir, file));
            var exported = JsonNode.Parse(bytes)!;
            Assert.True(JsonNode.DeepEquals(original, exported), $"{file} differs:\n{Encoding.UTF8.GetString(bytes)}");
            Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no BOM, as Python's json.dump");
        }
        var hume = await File.ReadAllTextAsync(Path.Combine(outDir, Mao, WithHumeMetadata + ".json"));
        Assert.Equal(fixture.Olv.ReadOriginalText($"{Mao}/{WithHumeMetadata}.json"), hume); // byte for byte: indent 2, non-ASCII kept
    }

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await _http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}
