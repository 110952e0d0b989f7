using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class CharacterCatalogTests : IDisposable
{
    private const string Main = """
        character_config:
          conf_name: 'main'
          conf_uid: 'main_001'
          live2d_model_name: 'mao_pro'
          persona_prompt: 'You are a test.'
          agent_config:
            llm_configs:
              openai_compatible_llm:
                base_url: 'http://localhost:11434/v1'
                model: 'qwen2.5:latest'
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Lists_conf_yaml_first_then_alternates_folder_by_folder()
    {
        var config = ConfigLoader.Load(_folder.Write("conf.yaml", Main));
        _folder.Write("characters/nested/deeper/b.yml", "character_config:\n  conf_name: 'beta'\n");
        _folder.Write("characters/c.yaml", "character_config:\n  persona_prompt: 'no name here'\n");
        _folder.Write("characters/a.yaml", "character_config:\n  conf_name: 'alpha'\n");
        _folder.Write("characters/broken.yaml", "character_config: [unclosed\n");
        _folder.Write("characters/notes.txt", "not a character");

        Assert.Equal(
            [
                new CharacterEntry("conf.yaml", "main"), new CharacterEntry("a.yaml", "alpha"),
                new CharacterEntry("broken.yaml", "broken.yaml"), new CharacterEntry("c.yaml", "c.yaml"),
                new CharacterEntry("b.yml", "beta"),
            ],
            CharacterCatalog.List(config));
    }

    [Fact]
    public void Conf_yaml_without_conf_name_is_listed_by_file_name_and_a_missing_folder_adds_nothing()
    {
        var config = ConfigLoader.Load(_folder.Write("main.yaml", Main.Replace("  conf_name: 'main'\n", "")));

        Assert.Equal([new CharacterEntry("main.yaml", "main.yaml")], CharacterCatalog.List(config));
    }
}
