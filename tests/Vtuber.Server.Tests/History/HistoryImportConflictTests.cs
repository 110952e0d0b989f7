using System.Net;
using Vtuber.Server.Commands;
using Vtuber.Server.Tests.EndToEnd;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;
using static Vtuber.Server.Tests.Support.OlvChatHistoryFolder;

namespace Vtuber.Server.Tests.History;

public sealed class HistoryImportConflictTests
{
    [Fact]
    public async Task A_file_that_differs_from_the_stored_history_is_a_conflict_and_leaves_the_journal_alone()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl);
        var olv = OlvChatHistoryFolder.Create(folder.Root);
        Assert.Equal(1, (await ImportAsync(olv, folder)).ExitCode);
        var path = Path.Combine(olv.Root, Mao, WithoutMetadata + ".json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("Très bien, merci.", "Edited later in OLV.", StringComparison.Ordinal));

        var again = await ImportAsync(olv, folder);

        Assert.Contains($"failed: conflict {Mao}/{WithoutMetadata}.json: the stored history differs at record 2; not overwritten",
            again.Output);
        await using var server = await RunningServer.StartAsync(folder, llm, tts);
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var stored = await http.GetStringAsync($"/api/histories/{Mao}/{WithoutMetadata}");
        Assert.Contains("Très bien, merci.", stored);
        Assert.DoesNotContain("Edited later", stored);
    }

    [Fact]
    public async Task A_history_that_grew_after_its_import_is_skipped_and_deleted_ones_leave_the_api()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl);
        var olv = OlvChatHistoryFolder.Create(folder.Root);
        await ImportAsync(olv, folder);
        await using (var server = await RunningServer.StartAsync(folder, llm, tts))
        {
            await using (var client = await server.ConnectPastGreetingAsync())
            {
                await client.SendAsync(new { type = "fetch-and-set-history", history_uid = WithoutMetadata });
                await client.ReceiveUntilAsync("history-data");
                llm.ReplyTo("one more thing", new FakeReply(["Sure."]));
                await TextTurnTests.RunTurnAsync(client, "one more thing");
                await client.SendAsync(new { type = "delete-history", history_uid = Interrupted });
                await client.ReceiveUntilAsync("history-deleted");
            }

            using var http = new HttpClient { BaseAddress = server.BaseUri };
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/histories/{Mao}/{Interrupted}")).StatusCode);
            // The reply's record is written as the turn ends; the API sees it once it is in the journal.
            await Eventually.TrueAsync(async () =>
                (await http.GetStringAsync($"/api/histories?conf_uid={Mao}")).Contains("\"content\":\"Sure.\"", StringComparison.Ordinal));
            Assert.DoesNotContain(Interrupted, await http.GetStringAsync($"/api/histories?conf_uid={Mao}"));
            await server.StopAsync();
        }

        var again = await ImportAsync(olv, folder);

        Assert.Contains($"skipped          {Mao}/{WithoutMetadata}.json: 2 record(s) were added here since", again.Output);
        // Deleting removed the journal events, so the old OLV file counts as new again: the user asked for it back.
        Assert.Contains($"imported         {Mao}/{Interrupted}.json", again.Output);
    }

    private static async Task<(int ExitCode, string Output)> ImportAsync(OlvChatHistoryFolder olv, ServerFolder folder)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await OlvHistoryCommands.RunAsync(["import-olv-history", olv.Root, "--config", folder.ConfigPath], output, error);
        return (exit, output.ToString());
    }
}
