using Microsoft.Data.Sqlite;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.History;

/// <summary>
/// An OLV chat_history/ folder imported twice by the real command in a child process (as the README says), then a
/// server started on the same journal. The tests read the outcome through the command's output, the journal rows,
/// the protocol and the HTTP API.
/// </summary>
public sealed class OlvHistoryImportFixture : IAsyncLifetime
{
    private FakeOpenAiServer _llm = null!;
    private FakeSpeechServer _tts = null!;

    public ServerFolder Folder { get; private set; } = null!;
    public OlvChatHistoryFolder Olv { get; private set; } = null!;
    public ServerCommand.Result FirstImport { get; private set; } = null!;
    public ServerCommand.Result SecondImport { get; private set; } = null!;
    public long JournalRowsAfterFirstImport { get; private set; }
    public long JournalRowsAfterSecondImport { get; private set; }
    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _llm = await FakeOpenAiServer.StartAsync();
        _tts = await FakeSpeechServer.StartAsync();
        Folder = ServerFolder.Create(_llm.BaseUrl, _tts.BaseUrl);
        Olv = OlvChatHistoryFolder.Create(Folder.Root);
        FirstImport = await ServerCommand.RunAsync("import-olv-history", Olv.Root, "--config", Folder.ConfigPath);
        JournalRowsAfterFirstImport = JournalRows();
        SecondImport = await ServerCommand.RunAsync("import-olv-history", Olv.Root, "--config", Folder.ConfigPath);
        JournalRowsAfterSecondImport = JournalRows();
        Server = await RunningServer.StartAsync(Folder, _llm, _tts);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _llm.DisposeAsync();
        await _tts.DisposeAsync();
    }

    private long JournalRows()
    {
        using var connection = new SqliteConnection($"Data Source={Folder.JournalPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM journal";
        return (long)count.ExecuteScalar()!;
    }
}
