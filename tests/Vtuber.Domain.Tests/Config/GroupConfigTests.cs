using Vtuber.Domain.Config;
using Vtuber.Testing;

namespace Vtuber.Domain.Tests.Config;

public sealed class GroupConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("-1")]
    [InlineData("1001")]
    [InlineData("'many'")]
    public void System_config_group_max_rounds_defaults_to_no_bound_and_refuses_what_is_out_of_range(string bad)
    {
        const string Character = MinimalConfig.Character;
        var defaults = ConfigLoader.Load(_folder.Write("conf.yaml", Character)).System.Group;
        var set = ConfigLoader.Load(_folder.Write("set.yaml", "system_config:\n  group:\n    max_rounds: 3\n" + Character)).System.Group;
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(_folder.Write("bad.yaml",
            $"system_config:\n  group:\n    max_rounds: {bad}\n" + Character)));

        Assert.Equal(0, defaults.MaxRounds);
        Assert.Equal(3, set.MaxRounds);
        Assert.Equal("system_config.group.max_rounds", error.KeyPath);
        Assert.Contains("0..1000", error.Message);
    }

    [Fact]
    public void The_shipped_conf_yaml_keeps_olvs_endless_rounds()
    {
        var config = ConfigLoader.Load(Path.Combine(RepositoryRoot.Path, "config", "conf.yaml"));
        Assert.Equal(0, config.System.Group.MaxRounds);
    }
}
