using Vtuber.Testing;
using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class InputLimitsTests : IDisposable
{
    private const string Base = "system_config:\n  port: 12393\n" + MinimalConfig.Character;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private VtuberConfig Load(string limits, List<string>? unknown = null) =>
        ConfigLoader.Load(_folder.Write("conf.yaml", Base.Replace("  port: 12393", "  port: 12393\n" + limits)),
            unknown is null ? null : unknown.Add);

    [Fact]
    public void Without_a_limits_section_the_defaults_apply()
    {
        var limits = Load("").System.Limits;

        Assert.Equal((32_768, 8, 4 * 1024 * 1024, 64),
            (limits.MaxTextChars, limits.MaxImages, limits.MaxImageBytes, limits.MaxHistoryRequests));
    }

    [Fact]
    public void Limits_are_read_and_are_not_unknown_keys()
    {
        var unknown = new List<string>();
        var limits = Load("  limits:\n    max_text_chars: 500\n    max_images: 0\n    max_image_bytes: 2048\n    max_history_requests: 4",
            unknown).System.Limits;

        Assert.Equal((500, 0, 2048, 4), (limits.MaxTextChars, limits.MaxImages, limits.MaxImageBytes, limits.MaxHistoryRequests));
        Assert.DoesNotContain(unknown, k => k.Contains("limits"));
    }

    [Theory]
    [InlineData("max_text_chars: 0")]
    [InlineData("max_text_chars: 2000000")]
    [InlineData("max_images: -1")]
    [InlineData("max_images: 65")]
    [InlineData("max_image_bytes: 10")]
    [InlineData("max_history_requests: 0")]
    [InlineData("max_history_requests: 1000")]
    [InlineData("max_text_chars: 'lots'")]
    public void Values_out_of_range_name_their_key(string line)
    {
        var error = Assert.Throws<ConfigException>(() => Load("  limits:\n    " + line));

        Assert.Equal("system_config.limits." + line[..line.IndexOf(':')], error.KeyPath);
    }
}
