using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class ConfigVersionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vtuber-config-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Versions_are_numbered_in_order_and_a_text_equal_to_the_latest_is_no_new_version()
    {
        var log = new ConfigVersionLog();
        var at = DateTimeOffset.Parse("2026-12-03T12:00:00Z");
        Assert.False(log.IsLatest("a: 1\n"));

        log.Apply(log.Next("a: 1\n", ConfigSources.StartUp, at));
        log.Apply(log.Next("a: 2\n", ConfigSources.Put, at));
        var rollback = log.Next("a: 1\n", ConfigSources.Rollback, at, restoredFrom: 1);

        Assert.True(log.IsLatest("a: 2\n"));
        Assert.False(log.IsLatest("a: 2\r\n")); // byte for byte: line endings count
        Assert.Equal(3, rollback.Version);
        Assert.Equal(log.Find(1)!.Sha256, rollback.Sha256);
        Assert.Null(log.Find(3));
        Assert.Throws<InvalidOperationException>(() => log.Apply(log.Find(1)!));
    }

    [Fact]
    public void The_sha256_is_of_the_utf8_text()
    {
        // sha256("") and sha256("abc"), the FIPS 180-2 test vectors.
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ConfigFile.Sha256(""));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ConfigFile.Sha256("abc"));
    }

    [Fact]
    public void Replacing_keeps_the_previous_file_as_bak_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(_folder, "conf.yaml");
        ConfigFile.Replace(path, "first: 'é'\n");
        ConfigFile.Replace(path, "second: 2\n");

        Assert.Equal("second: 2\n", ConfigFile.ReadText(path));
        Assert.Equal("first: 'é'\n", File.ReadAllText(path + ConfigFile.BackupSuffix));
        Assert.Equal(["conf.yaml", "conf.yaml.bak"], Directory.GetFiles(_folder).Select(Path.GetFileName).Order());
        Assert.NotEqual(0xEF, File.ReadAllBytes(path)[0]); // no BOM: the text hashes as written
    }

    [Fact]
    public void Secret_values_are_masked_line_by_line_and_the_rest_is_kept()
    {
        const string yaml = """
            # api_key: in a comment stays
            system_config:
              journal:
                connection_string: "Host=db;Password=hunter2"
            character_config:
              persona_prompt: 'keys and tokens are words here'
              llm_configs:
                openai_compatible_llm:
                  llm_api_key: 'sk-123' # the key
                  base_url: 'http://x'
                  api_key:
                  access_token: tok
            """;

        var masked = ConfigFile.MaskSecrets(yaml);

        Assert.DoesNotContain("sk-123", masked);
        Assert.DoesNotContain("hunter2", masked);
        Assert.DoesNotContain(": tok", masked);
        Assert.Contains("      llm_api_key: '***'", masked);
        Assert.Contains("    connection_string: '***'", masked);
        Assert.Contains("# api_key: in a comment stays", masked);
        Assert.Contains("persona_prompt: 'keys and tokens are words here'", masked);
        Assert.Contains("base_url: 'http://x'", masked);
        Assert.Contains("      api_key:\n", masked.ReplaceLineEndings("\n"));
    }
}
