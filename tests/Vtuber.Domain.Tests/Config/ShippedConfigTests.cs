using System.Text.Json;
using Vtuber.Domain.Config;
using Vtuber.Domain.Text;

namespace Vtuber.Domain.Tests.Config;

public sealed class ShippedConfigTests
{
    private static readonly string RepoRoot = Vtuber.Testing.RepositoryRoot.Path;
    private static readonly string ConfigDir = Path.Combine(RepoRoot, "config");


    [Fact]
    public void Shipped_conf_yaml_loads_with_the_default_character_and_repo_paths()
    {
        var unknown = new List<string>();
        var config = ConfigLoader.Load(Path.Combine(ConfigDir, "conf.yaml"), unknown.Add);

        Assert.Empty(unknown);
        var system = config.System;
        Assert.Equal(("localhost", 12393), (system.Host, system.Port));
        Assert.Equal(Path.Combine(RepoRoot, "frontend"), system.FrontendDir);
        Assert.Equal(Path.Combine(RepoRoot, "live2d-models"), system.Live2dModelsDir);
        Assert.Equal(Path.Combine(RepoRoot, "backgrounds"), system.BackgroundsDir);
        Assert.Equal(Path.Combine(RepoRoot, "avatars"), system.AvatarsDir);
        Assert.Equal(Path.Combine(RepoRoot, "cache"), system.CacheDir);
        Assert.Equal(Path.Combine(ConfigDir, "model_dict.json"), system.ModelDictPath);
        Assert.Equal(Path.Combine(ConfigDir, "prompts"), system.PromptsDir);
        Assert.Equal(Path.Combine(ConfigDir, "characters"), system.ConfigAltsDir);
        Assert.Equal("sqlite", system.Journal.Provider);
        Assert.Equal(Path.Combine(RepoRoot, "data", "vtuber.db"), system.Journal.SqlitePath);
        Assert.Equal((null, 200), (system.Journal.ProviderName, system.Journal.SnapshotInterval));
        Assert.Equal(
            ["live2d_expression_prompt", "group_conversation_prompt", "mcp_prompt", "proactive_speak_prompt"],
            system.ToolPrompts.Select(p => p.Key));

        var character = config.Character;
        Assert.Equal(("mao_pro", "mao_pro_001", "mao_pro", "Mao", "mao.png", "Human"),
            (character.ConfName, character.ConfUid, character.Live2dModelName, character.CharacterName,
             character.Avatar, character.HumanName));
        Assert.Equal("openai_compatible_llm", character.Agent.BasicMemoryAgent.LlmProvider);
        var llm = character.Agent.LlmConfigs["openai_compatible_llm"];
        Assert.Equal(("http://localhost:11434/v1", "qwen2.5:latest"), (llm.BaseUrl, llm.Model));
        Assert.Equal("espeak_ng", character.Tts.TtsModel);
    }

    [Fact]
    public void Shipped_model_dict_holds_mao_pro_as_olv_sends_it()
    {
        var config = ConfigLoader.Load(Path.Combine(ConfigDir, "conf.yaml"));
        var mao = ModelDictionary.Find(ModelDictionary.Load(config.System.ModelDictPath), "mao_pro", config.SourcePath);

        // The set-model-and-conf model_info of olv-protocol 2.19 (a) step 4, compared as JSON values.
        const string expected = """
            {"name":"mao_pro","description":"","url":"/live2d-models/mao_pro/runtime/mao_pro.model3.json","kScale":0.5,"initialXshift":0,"initialYshift":0,"kXOffset":1150,"idleMotionGroupName":"Idle","emotionMap":{"neutral":0,"anger":2,"disgust":2,"fear":1,"joy":3,"smirk":3,"sadness":1,"surprise":3},"tapMotions":{"HitAreaHead":{"":1},"HitAreaBody":{"":1}}}
            """;
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement,
            JsonDocument.Parse(mao.RawJson).RootElement), mao.RawJson);
        Assert.Equal(Expression.Of(3), mao.EmotionMap["joy"]);
    }

    [Fact]
    public void Shipped_prompts_exist_and_the_expression_prompt_has_its_placeholder()
    {
        var utils = Path.Combine(ConfigDir, "prompts", "utils");
        foreach (var stem in new[]
                 {
                     "live2d_expression_prompt", "group_conversation_prompt", "proactive_speak_prompt", "mcp_prompt",
                     "think_tag_prompt", "concise_style_prompt", "speakable_prompt",
                 })
            Assert.False(string.IsNullOrWhiteSpace(File.ReadAllText(Path.Combine(utils, stem + ".txt"))), stem);

        Assert.Contains("[<insert_emomap_keys>]", File.ReadAllText(Path.Combine(utils, "live2d_expression_prompt.txt")));
        var group = File.ReadAllText(Path.Combine(utils, "group_conversation_prompt.txt"));
        Assert.Contains("{human_name}", group);
        Assert.Contains("{other_ais}", group);
    }

    [Fact]
    public void Shipped_catalog_offers_mao_then_the_unhelpful_ai()
    {
        var config = ConfigLoader.Load(Path.Combine(ConfigDir, "conf.yaml"));

        Assert.Equal(
            [new CharacterEntry("conf.yaml", "mao_pro"), new CharacterEntry("en_unhelpful_ai.yaml", "unhelpful_ai")],
            CharacterCatalog.List(config));
    }
}
