using Vtuber.Actors.Characters;
using Vtuber.Agents;
using Vtuber.Domain.Config;
using Vtuber.Server.Tests.Support;

namespace Vtuber.Server.Tests.Configuration;

public sealed class EngineReuseTests : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly ServerFolder _folder =
        ServerFolder.Create(new Uri("http://127.0.0.1:9/v1"), new Uri("http://127.0.0.1:9/v1"));
    private readonly CharacterServices _base;

    public EngineReuseTests() => _base = CharacterServices.Build(ConfigLoader.Load(_folder.ConfigPath), _http);

    public void Dispose() => _http.Dispose();

    private CharacterServices SwitchTo(string fileName, string characterYaml)
    {
        File.WriteAllText(Path.Combine(_folder.Root, "characters", fileName), characterYaml);
        var update = CharacterSwitch.Switch(_base, fileName);
        Assert.Null(update.Error);
        return update.Services!;
    }

    [Fact]
    public void Unchanged_tts_and_llm_sections_keep_their_engine_and_client()
    {
        var twin = SwitchTo("twin.yaml", """
            character_config:
              conf_name: 'twin'
              conf_uid: 'twin_001'
              character_name: 'Twin'
            """);

        Assert.Same(_base.Tts, twin.Tts);
        Assert.Same(_base.ChatClient, twin.ChatClient);
        Assert.Equal("Twin", twin.Character.CharacterName);
    }

    [Fact]
    public void A_changed_tts_section_builds_a_new_engine()
    {
        var grumble = CharacterSwitch.Switch(_base, "en_unhelpful_ai.yaml").Services!;

        Assert.NotSame(_base.Tts, grumble.Tts);
        Assert.Equal("espeak_ng", grumble.Tts.Name);
        Assert.Same(_base.ChatClient, grumble.ChatClient); // the alternate leaves agent_config alone
    }

    [Fact]
    public void Memory_is_kept_only_while_agent_config_and_persona_are_unchanged()
    {
        var agent = _base.CreateAgent();
        agent.BeginTurn(new UserInput("remember me", []));
        agent.CompleteTurn("I will.");

        var sameAgent = SwitchTo("same_agent.yaml", """
            character_config:
              conf_name: 'same'
              conf_uid: 'same_001'
            """);
        Assert.Same(agent, CharacterSwitch.Handover(_base, agent, sameAgent));

        // Another model changes the system prompt (its expressions) but not agent_config or persona: the memory
        // moves to an agent with the new prompt.
        var otherModel = SwitchTo("other_model.yaml", $"""
            character_config:
              live2d_model_name: '{ServerFolder.SecondModel}'
            """);
        var moved = CharacterSwitch.Handover(_base, agent, otherModel);
        Assert.NotSame(agent, moved);
        Assert.Equal(agent.Memory, moved.Memory);
        Assert.Contains("[happy]", otherModel.SystemPrompt);

        var newPersona = SwitchTo("new_persona.yaml", """
            character_config:
              persona_prompt: 'You are someone else.'
            """);
        Assert.Empty(CharacterSwitch.Handover(_base, agent, newPersona).Memory);

        var newTemperature = SwitchTo("new_temperature.yaml", """
            character_config:
              agent_config:
                llm_configs:
                  openai_compatible_llm:
                    temperature: 0.1
            """);
        Assert.NotSame(_base.ChatClient, newTemperature.ChatClient);
        Assert.Empty(CharacterSwitch.Handover(_base, agent, newTemperature).Memory);
    }
}
