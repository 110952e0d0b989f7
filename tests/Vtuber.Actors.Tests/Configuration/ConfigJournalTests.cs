using System.Data.Common;
using System.Text;
using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit.Xunit2;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Vtuber.Actors.Characters;
using Vtuber.Actors.Configuration;
using Vtuber.Actors.History;
using Vtuber.Actors.Tests.History;
using Vtuber.Domain.Config;
using Vtuber.Testing;

namespace Vtuber.Actors.Tests.Configuration;

/// <summary>
/// The config entity composed as the server composes it (WithChatHistories for the journal, WithLiveConfig) over a
/// copy of the repository's config folder, on SQLite and on PostgreSQL when VTUBER_TEST_POSTGRES is set.
/// </summary>
public sealed class ConfigJournalTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private const string ConfName = "conf_name: 'mao_pro'";

    private readonly string _folder = Directory.CreateTempSubdirectory("vtuber-config-").FullName;
    private readonly HttpClient _http = new();

    public ConfigJournalTests()
    {
        var source = Path.Combine(RepositoryRoot.Path, "config");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private string ConfigPath => Path.Combine(_folder, "conf.yaml");

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Versions_are_journaled_as_json_applied_on_the_event_stream_and_recovered_after_a_restart(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        var original = await File.ReadAllTextAsync(ConfigPath);
        var renamed = original.Replace(ConfName, "conf_name: 'renamed'", StringComparison.Ordinal);

        await using (var host = await ConfigHost.StartAsync(journal.Options, ConfigPath, _http))
        {
            var applied = host.Kit.CreateTestProbe();
            host.System.EventStream.Subscribe(applied, typeof(ConfigChanged));
            var start = Assert.Single((await host.Ask<ConfigVersionList>(GetConfigVersions.Instance)).Versions);
            Assert.Equal((1, ConfigSources.StartUp, ConfigFile.Sha256(original), original), (start.Version, start.Source, start.Sha256, start.Yaml));

            var accepted = await host.Ask<ConfigVersionAccepted>(new ProposeConfig(renamed, ConfigSources.Put));

            Assert.Equal((2, ConfigSources.Put, ConfigFile.Sha256(renamed)), (accepted.Version.Version, accepted.Version.Source, accepted.Version.Sha256));
            Assert.Equal("renamed", (await applied.ExpectMsgAsync<ConfigChanged>(Wait)).Config.Character.ConfName);
            Assert.Equal(renamed, await File.ReadAllTextAsync(ConfigPath));
            Assert.Equal(original, await File.ReadAllTextAsync(ConfigPath + ConfigFile.BackupSuffix));

            // The same text again (as the watcher sees the PUT's write): nothing journaled.
            Assert.Equal(2, (await host.Ask<ConfigUnchanged>(new ProposeConfig(renamed, ConfigSources.FileWatcher))).Latest.Version);
            var rejected = await host.Ask<ConfigRejected>(new ProposeConfig(renamed.Replace("port: 12393", "port: -1",
                StringComparison.Ordinal), ConfigSources.Put));
            Assert.Equal("system_config.port", rejected.KeyPath);
            Assert.Equal(ConfigPath, rejected.File);
            Assert.Equal(7, (await host.Ask<UnknownConfigVersion>(new RollbackConfig(7))).Version);
            Assert.Equal(renamed, await File.ReadAllTextAsync(ConfigPath));
        }

        var rows = JournalRows(journal);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((ConfigJournalSerializer.VersionManifest, ConfigJournalSerializer.Id), (r.Manifest, r.Identifier)));
        Assert.Contains("\"source\":\"put\"", rows[1].Json);
        Assert.Contains("conf_name: 'renamed'", rows[1].Json);
        Assert.DoesNotContain("$type", rows[1].Json);

        await using (var host = await ConfigHost.StartAsync(journal.Options, ConfigPath, _http))
        {
            var versions = (await host.Ask<ConfigVersionList>(GetConfigVersions.Instance)).Versions;
            Assert.Equal([(1, ConfigSources.StartUp), (2, ConfigSources.Put)], versions.Select(v => (v.Version, v.Source)));
            Assert.Equal(renamed, versions[1].Yaml);
        }
    }

    [Fact]
    public async Task A_rollback_restores_the_old_text_as_a_new_version_on_disk_and_in_force()
    {
        await using var journal = await JournalUnderTest.CreateAsync(JournalUnderTest.Sqlite);
        var original = await File.ReadAllTextAsync(ConfigPath);
        await using var host = await ConfigHost.StartAsync(journal.Options, ConfigPath, _http);
        var applied = host.Kit.CreateTestProbe();
        host.System.EventStream.Subscribe(applied, typeof(ConfigChanged));
        await host.Ask<ConfigVersionAccepted>(new ProposeConfig(original.Replace(ConfName, "conf_name: 'renamed'",
            StringComparison.Ordinal), ConfigSources.Put));
        await applied.ExpectMsgAsync<ConfigChanged>(Wait);

        var restored = (await host.Ask<ConfigVersionAccepted>(new RollbackConfig(1))).Version;

        Assert.Equal((3, ConfigSources.Rollback, 1, original), (restored.Version, restored.Source, restored.RestoredFrom, restored.Yaml));
        Assert.Equal("mao_pro", (await applied.ExpectMsgAsync<ConfigChanged>(Wait)).Config.Character.ConfName);
        Assert.Equal(original, await File.ReadAllTextAsync(ConfigPath));
    }

    private sealed record JournalRow(string Manifest, int Identifier, string Json);

    private static List<JournalRow> JournalRows(JournalUnderTest journal)
    {
        using DbConnection connection = journal.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT manifest, identifier, message FROM journal WHERE persistence_id = @id ORDER BY sequence_number";
        var parameter = query.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = ConfigJournalActor.PersistenceIdValue;
        query.Parameters.Add(parameter);
        using var reader = query.ExecuteReader();
        var rows = new List<JournalRow>();
        while (reader.Read())
        {
            rows.Add(new JournalRow(reader.GetString(0), reader.GetInt32(1), Encoding.UTF8.GetString((byte[])reader[2])));
        }
        return rows;
    }

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>An actor system with the server's journal and live-config composition over one conf.yaml.</summary>
    private sealed class ConfigHost : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly IActorRef _versions;

        private ConfigHost(IHost host, ActorSystem system, IActorRef versions)
        {
            _host = host;
            _versions = versions;
            System = system;
            Kit = new TestKit(system);
        }

        public ActorSystem System { get; }
        public TestKit Kit { get; }

        public static async Task<ConfigHost> StartAsync(JournalOptions journal, string configPath, HttpClient http)
        {
            var services = CharacterServices.Build(ConfigLoader.Load(configPath), http);
            var host = new HostBuilder()
                .ConfigureServices(s => s.AddAkka("config-test", (b, _) => b.WithChatHistories(journal).WithLiveConfig(services)))
                .Build();
            await host.StartAsync();
            var system = host.Services.GetRequiredService<ActorSystem>();
            return new ConfigHost(host, system, await ActorRegistry.For(system).GetAsync<ConfigJournalActor>());
        }

        public Task<T> Ask<T>(object message) => _versions.Ask<T>(message, Wait);

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
            Kit.Dispose();
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
        }
    }
}
