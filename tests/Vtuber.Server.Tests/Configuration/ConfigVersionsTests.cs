using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vtuber.Domain.Config;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.Configuration;

/// <summary>
/// Config changes through the config entity: PUT /api/config, the journaled versions, rollback, the file watcher and
/// the start-up rule (conf.yaml wins), on the real server with a real client.
/// </summary>
public sealed class ConfigVersionsTests
{
    private const string MaoModel = "live2d_model_name: 'mao_pro'";
    private const string HiyoriModel = $"live2d_model_name: '{ServerFolder.SecondModel}'";
    private const string MaoPersona = "You are Mao, a cheerful test character.";

    private static HttpClient Http(RunningServer server) => new() { BaseAddress = server.BaseUri };

    private static async Task<JsonArray> VersionsAsync(RunningServer server, string query = "")
    {
        using var http = Http(server);
        return JsonNode.Parse(await http.GetStringAsync("/api/config/versions" + query))!.AsArray();
    }

    private static async Task<string?> ModelInForceAsync(RunningServer server)
    {
        using var http = Http(server);
        return (string?)JsonNode.Parse(await http.GetStringAsync("/api/config"))!["character"]!["live2d_model_name"];
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PutAsync(RunningServer server, string yaml)
    {
        using var http = Http(server);
        var response = await http.PutAsync("/api/config", new StringContent(yaml));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> RollbackAsync(RunningServer server, int version)
    {
        using var http = Http(server);
        var response = await http.PostAsync($"/api/config/rollback/{version}", null);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static Task WaitForVersionsAsync(RunningServer server, int count) =>
        Eventually.TrueAsync(async () => (await VersionsAsync(server)).Count >= count,
            because: $"{count} config versions should be journaled");

    private static string[] Sources(JsonArray versions) => versions.Select(v => (string)v!["source"]!).ToArray();

    [Theory, SqliteJournal, PostgresJournal]
    public async Task A_put_is_written_with_the_previous_kept_journaled_once_in_force_in_sessions_and_survives_a_restart(
        string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, extraSystemYaml: journal.SystemYaml);
        var original = await File.ReadAllTextAsync(folder.ConfigPath);
        var server = await RunningServer.StartAsync(folder, llm, tts);
        await using (server)
        {
            await using var client = await server.ConnectPastGreetingAsync();
            var first = Assert.Single(await VersionsAsync(server));
            Assert.Equal(1, (int)first!["version"]!);
            Assert.Equal(ConfigSources.StartUp, (string?)first["source"]);
            Assert.Equal(ConfigFile.Sha256(original), (string?)first["sha256"]);
            Assert.Null(first["yaml"]); // the list leaves the text out unless asked

            var changed = original.Replace(MaoModel, HiyoriModel, StringComparison.Ordinal);
            var (status, body) = await PutAsync(server, changed);

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(2, (int)body["version"]!);
            Assert.Equal(ConfigSources.Put, (string?)body["source"]);
            Assert.True((bool)body["changed"]!);
            Assert.Equal(ConfigFile.Sha256(changed), (string?)body["sha256"]);
            var frames = await client.ReceiveUntilAsync("set-model-and-conf");
            Assert.Equal(ServerFolder.SecondModel, (string?)frames[^1]["model_info"]!["name"]);
            Assert.Equal(changed, await File.ReadAllTextAsync(folder.ConfigPath));
            Assert.Equal(original, await File.ReadAllTextAsync(folder.ConfigPath + ConfigFile.BackupSuffix));
            Assert.Equal(ServerFolder.SecondModel, await ModelInForceAsync(server));

            // The watcher saw the PUT's write; a later edit on disk is the next version, so that write was not one.
            folder.EditConfig((MaoPersona, "You are Mao, edited on disk."));
            await WaitForVersionsAsync(server, 3);
            Assert.Equal([ConfigSources.StartUp, ConfigSources.Put, ConfigSources.FileWatcher], Sources(await VersionsAsync(server)));
            await server.StopAsync();
        }

        // Same file as the latest version: the versions survive and nothing new is journaled.
        await using (var restarted = await RunningServer.StartAsync(folder, llm, tts))
        {
            var versions = await VersionsAsync(restarted);
            Assert.Equal([1, 2, 3], versions.Select(v => (int)v!["version"]!));
            Assert.Equal(ConfigFile.Sha256(await File.ReadAllTextAsync(folder.ConfigPath)), (string?)versions[2]!["sha256"]);
            Assert.Equal(ServerFolder.SecondModel, await ModelInForceAsync(restarted));
            await restarted.StopAsync();
        }

        // Edited while the server was down: the file wins and becomes a start-up version.
        folder.EditConfig((HiyoriModel, MaoModel));
        await using (var restarted = await RunningServer.StartAsync(folder, llm, tts))
        {
            await WaitForVersionsAsync(restarted, 4);
            var versions = await VersionsAsync(restarted);
            Assert.Equal([ConfigSources.StartUp, ConfigSources.Put, ConfigSources.FileWatcher, ConfigSources.StartUp], Sources(versions));
            Assert.Equal(ConfigFile.Sha256(await File.ReadAllTextAsync(folder.ConfigPath)), (string?)versions[3]!["sha256"]);
            Assert.Equal("mao_pro", await ModelInForceAsync(restarted));
        }
    }

    [Fact]
    public async Task An_invalid_put_is_a_422_naming_the_key_path_and_changes_nothing()
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await server.ConnectPastGreetingAsync();
        var original = await File.ReadAllTextAsync(server.Folder.ConfigPath);

        var (status, body) = await PutAsync(server, original.Replace("port: 0", "port: 'twelve'", StringComparison.Ordinal)
            .Replace(MaoModel, HiyoriModel, StringComparison.Ordinal));
        var (syntaxStatus, syntax) = await PutAsync(server, "system_config: [unclosed");
        var (modelStatus, model) = await PutAsync(server, original.Replace(MaoModel, "live2d_model_name: 'nobody'", StringComparison.Ordinal));
        using var http = Http(server);
        var empty = await http.PutAsync("/api/config", new StringContent(""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(server.Folder.ConfigPath, (string?)body["file"]);
        Assert.Equal("system_config.port", (string?)body["key_path"]);
        Assert.Equal("twelve", (string?)body["value"]);
        Assert.Equal("an integer 0..65535", (string?)body["expected"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, syntaxStatus);
        Assert.StartsWith("valid YAML", (string?)syntax["expected"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, modelStatus);
        Assert.Equal("character_config.live2d_model_name", (string?)model["key_path"]);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        Assert.Equal(original, await File.ReadAllTextAsync(server.Folder.ConfigPath));
        Assert.False(File.Exists(server.Folder.ConfigPath + ConfigFile.BackupSuffix));
        Assert.Single(await VersionsAsync(server));
        Assert.Equal("mao_pro", await ModelInForceAsync(server));
        Assert.Empty(await client.DrainAsync());
    }

    [Fact]
    public async Task A_rollback_applies_an_old_version_as_a_new_one_and_an_unknown_version_is_a_404()
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await server.ConnectPastGreetingAsync();
        var original = await File.ReadAllTextAsync(server.Folder.ConfigPath);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(server, original.Replace(MaoModel, HiyoriModel, StringComparison.Ordinal))).Status);
        await client.ReceiveUntilAsync("set-model-and-conf");

        var (status, body) = await RollbackAsync(server, 1);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, (int)body["version"]!);
        Assert.Equal(ConfigSources.Rollback, (string?)body["source"]);
        Assert.Equal(1, (int)body["restored_from"]!);
        Assert.Equal(ConfigFile.Sha256(original), (string?)body["sha256"]);
        var frames = await client.ReceiveUntilAsync("set-model-and-conf");
        Assert.Equal("mao_pro", (string?)frames[^1]["model_info"]!["name"]);
        Assert.Equal(original, await File.ReadAllTextAsync(server.Folder.ConfigPath));
        Assert.Equal("mao_pro", await ModelInForceAsync(server));

        var (unknownStatus, unknown) = await RollbackAsync(server, 99);
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        Assert.Contains("no config version 99", (string?)unknown["error"]);
        Assert.Equal(3, (await VersionsAsync(server)).Count);
    }

    [Fact]
    public async Task A_version_shows_its_yaml_with_secrets_masked_on_request()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = Http(server);

        var one = JsonNode.Parse(await http.GetStringAsync("/api/config/versions/1"))!;
        var listed = await VersionsAsync(server, "?include=yaml");
        var missing = await http.GetAsync("/api/config/versions/42");
        var badInclude = await http.GetAsync("/api/config/versions?include=engines");

        var yaml = (string)one["yaml"]!;
        Assert.Contains("persona_prompt: 'You are Mao, a cheerful test character.'", yaml);
        Assert.Contains("llm_api_key: '***'", yaml);
        Assert.DoesNotContain("test-key", yaml);
        Assert.DoesNotContain("tts-key", yaml);
        Assert.Equal(yaml, (string?)Assert.Single(listed)!["yaml"]);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badInclude.StatusCode);
    }

    [Fact]
    public async Task A_file_edit_is_journaled_once()
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await server.ConnectPastGreetingAsync();
        // Answered once conf.yaml at start-up is journaled: the edits below come after it.
        Assert.Single(await VersionsAsync(server));

        server.Folder.EditConfig((MaoModel, HiyoriModel));
        await client.ReceiveUntilAsync("set-model-and-conf");
        // A second, different edit: if the first had been journaled twice, this would not be version 3.
        server.Folder.EditConfig((MaoPersona, "You are Mao, edited twice."));
        await WaitForVersionsAsync(server, 3);

        var versions = await VersionsAsync(server);
        Assert.Equal([ConfigSources.StartUp, ConfigSources.FileWatcher, ConfigSources.FileWatcher], Sources(versions));
        Assert.Equal(ConfigFile.Sha256(await File.ReadAllTextAsync(server.Folder.ConfigPath)), (string?)versions[2]!["sha256"]);
    }

    [Fact]
    public async Task Changes_are_rate_limited_per_client_apart_from_validation()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = Http(server);
        var text = await File.ReadAllTextAsync(server.Folder.ConfigPath);

        for (var i = 0; i < Vtuber.Server.Api.ConfigApi.ChangesPerMinute; i++)
        {
            var (status, body) = await PutAsync(server, text);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.False((bool)body["changed"]!); // the latest version's text: nothing journaled
        }
        var refused = await http.PutAsync("/api/config", new StringContent(text));
        var rollback = await http.PostAsync("/api/config/rollback/1", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("config changes per minute", (string?)(await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]);
        Assert.Equal(HttpStatusCode.TooManyRequests, rollback.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/api/config/validate", new StringContent(text))).StatusCode);
        Assert.Single(await VersionsAsync(server));
    }
}
