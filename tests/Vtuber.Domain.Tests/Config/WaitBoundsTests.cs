using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

/// <summary>Every *_seconds key has a range that TimeSpan can hold: a huge value is a config error, not a crash later.</summary>
public sealed class WaitBoundsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string systemYaml, string providerYaml = "") => _folder.Write("conf.yaml", $"""
        system_config:
        {systemYaml}
        character_config:
          conf_name: 'test'
          conf_uid: 'test_001'
          live2d_model_name: 'mao_pro'
          persona_prompt: 'You are a test.'
          agent_config:
            llm_configs:
              openai_compatible_llm:
                base_url: 'http://localhost:11434/v1'
                model: 'qwen2.5:latest'
        {providerYaml}
        """);

    public static TheoryData<string, string, string, string> OutOfRange()
    {
        var data = new TheoryData<string, string, string, string>();
        var keys = new (string Section, string Key, string JustTooLong, string Expected)[]
        {
            ("turn", "playback_complete_timeout_seconds", "86401", "a number of seconds 0.1..86400"),
            ("turn", "tts_timeout_seconds", "3601", "a number of seconds 0.1..3600"),
            ("turn", "asr_timeout_seconds", "3601", "a number of seconds 0.1..3600"),
            ("websocket", "keep_alive_seconds", "86401", "a number of seconds 1..86400"),
            ("journal", "history_timeout_seconds", "3601", "a number of seconds 0.1..3600"),
        };
        foreach (var (section, key, justTooLong, expected) in keys)
        {
            // 1e300 overflowed TimeSpan.FromSeconds on every turn or connection; 0 and negatives fire at once.
            foreach (var value in new[] { "1e300", "922337203685", justTooLong, "0", "-1", ".inf" })
            {
                data.Add($"  {section}:\n    {key}: {value}", $"system_config.{section}.{key}", value, expected);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_seconds_value_out_of_range_is_a_config_error_naming_the_key(string systemYaml, string keyPath,
        string value, string expected)
    {
        var file = Write(systemYaml);

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));

        Assert.Equal((file, keyPath, value, expected), (error.File, error.KeyPath, error.Value, error.Expected));
    }

    [Theory]
    [InlineData("first_token_timeout_seconds", "1e300")]
    [InlineData("first_token_timeout_seconds", "3601")]
    [InlineData("idle_timeout_seconds", "1e300")]
    [InlineData("idle_timeout_seconds", "0")]
    public void An_llm_timeout_out_of_range_is_a_config_error_naming_the_key(string key, string value)
    {
        var file = Write("  port: 12393", $"        {key}: {value}");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));

        Assert.Equal(($"character_config.agent_config.llm_configs.openai_compatible_llm.{key}", value,
                "a number of seconds 0.1..3600"), (error.KeyPath, error.Value, error.Expected));
    }

    [Fact]
    public void The_largest_values_allowed_still_make_timespans_and_the_http_safety_net_outlasts_every_call()
    {
        var config = ConfigLoader.Load(Write("""
              turn:
                playback_complete_timeout_seconds: 86400
                tts_timeout_seconds: 3600
                asr_timeout_seconds: 3600
              websocket:
                keep_alive_seconds: 86400
            """, """
                    first_token_timeout_seconds: 3600
                    idle_timeout_seconds: 3600
            """));

        var llm = config.Character.Agent.LlmConfigs["openai_compatible_llm"];
        var longest = new[]
        {
            config.System.Turn.PlaybackCompleteTimeoutSeconds, config.System.Turn.TtsTimeoutSeconds,
            config.System.Turn.AsrTimeoutSeconds, config.System.WebSocket.KeepAliveSeconds,
            llm.FirstTokenTimeoutSeconds!.Value, llm.IdleTimeoutSeconds!.Value,
        }.Select(TimeSpan.FromSeconds).Max();
        Assert.Equal(TimeSpan.FromDays(1), longest);
        using var timer = new CancellationTokenSource(longest); // what a turn's timers do with it
        Assert.True(WaitBounds.HttpSafetyNet > TimeSpan.FromSeconds(config.System.Turn.TtsTimeoutSeconds));
        Assert.True(WaitBounds.HttpSafetyNet > TimeSpan.FromSeconds(llm.FirstTokenTimeoutSeconds.Value));
    }

    [Theory]
    [InlineData("context_window_tokens", "1023", "an integer 1024..10000000 (tokens)")]
    [InlineData("context_window_tokens", "lots", "an integer 1024..10000000 (tokens)")]
    [InlineData("reply_reserve_tokens", "0", "an integer 16..5000000 (tokens)")]
    public void A_context_budget_out_of_range_is_a_config_error_naming_the_key(string key, string value, string expected)
    {
        var file = Write("  port: 12393", $"        {key}: {value}");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));

        Assert.Equal(($"character_config.agent_config.llm_configs.openai_compatible_llm.{key}", value, expected),
            (error.KeyPath, error.Value, error.Expected));
    }

    [Fact]
    public void Tts_asr_and_history_deadlines_default_to_30_60_and_30_seconds()
    {
        var system = ConfigLoader.Load(Write("  port: 12393")).System;

        Assert.Equal((30.0, 60.0, 30.0),
            (system.Turn.TtsTimeoutSeconds, system.Turn.AsrTimeoutSeconds, system.Journal.HistoryTimeoutSeconds));
    }
}
