using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class VadConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private VtuberConfig Load(string vadYaml) => ConfigLoader.Load(_folder.Write("conf.yaml", $"""
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
        {vadYaml}
        """));

    [Fact]
    public void Olv_vad_config_is_read_with_our_server_starts_turn_switch()
    {
        var vad = Load("""
              vad_config:
                vad_model: silero_vad
                server_starts_turn: true
                silero_vad:
                  orig_sr: 16000
                  target_sr: 16000
                  prob_threshold: 0.5
                  db_threshold: 55
                  required_hits: 4
                  required_misses: 20
                  smoothing_window: 3
            """).Character.Vad;
        Assert.Equal(new VadConfig
        {
            VadModel = "silero_vad",
            ServerStartsTurn = true,
            Silero = new SileroVadConfig { ProbThreshold = 0.5, DbThreshold = 55, RequiredHits = 4, RequiredMisses = 20, SmoothingWindow = 3 },
        }, vad);
    }

    [Fact]
    public void Null_vad_model_turns_server_side_vad_off_with_olv_defaults()
    {
        var vad = Load("  vad_config:\n    vad_model: null").Character.Vad;
        Assert.Null(vad.VadModel);
        Assert.False(vad.ServerStartsTurn);
        Assert.Equal(new SileroVadConfig(), vad.Silero);
    }

    [Theory]
    [InlineData("vad_model: webrtc", "character_config.vad_config.vad_model")]
    [InlineData("vad_model: silero_vad\n    silero_vad: {orig_sr: 48000}", "character_config.vad_config.silero_vad.orig_sr")]
    [InlineData("vad_model: silero_vad\n    silero_vad: {prob_threshold: 1.5}", "character_config.vad_config.silero_vad.prob_threshold")]
    [InlineData("vad_model: silero_vad\n    silero_vad: {required_misses: 0}", "character_config.vad_config.silero_vad.required_misses")]
    public void Bad_vad_values_name_their_key_path(string line, string keyPath)
    {
        var error = Assert.Throws<ConfigException>(() => Load($"  vad_config:\n    {line}"));
        Assert.Contains(keyPath, error.Message);
    }
}
