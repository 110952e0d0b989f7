using Vtuber.Domain.Config;
using Vtuber.Domain.Live2d;
using Vtuber.Domain.Text;

namespace Vtuber.Agents.Tests;

public sealed class SystemPromptComposerTests : IDisposable
{
    private readonly string _promptsDir = Directory.CreateTempSubdirectory("vtuber-prompts-").FullName;

    public SystemPromptComposerTests()
    {
        var utils = Directory.CreateDirectory(Path.Combine(_promptsDir, "utils")).FullName;
        File.WriteAllText(Path.Combine(utils, "live2d_expression_prompt.txt"),
            "\nExpressions: [<insert_emomap_keys>] use them.");
        File.WriteAllText(Path.Combine(utils, "think_tag_prompt.txt"), "\nThink in <think> tags.");
        File.WriteAllText(Path.Combine(utils, "group_conversation_prompt.txt"), "GROUP");
        File.WriteAllText(Path.Combine(utils, "proactive_speak_prompt.txt"), "PROACTIVE");
        File.WriteAllText(Path.Combine(utils, "mcp_prompt.txt"), "MCP");
    }

    public void Dispose() => Directory.Delete(_promptsDir, recursive: true);

    private static readonly Live2dModelInfo Mao = new("mao_pro", "{}", new Dictionary<string, Expression>
    {
        ["neutral"] = Expression.Of(0), ["anger"] = Expression.Of(2), ["joy"] = Expression.Of(3),
    });

    private SystemConfig System(params string[] names) => new()
    {
        PromptsDir = _promptsDir,
        ToolPrompts = names.Select(n => KeyValuePair.Create(n, n)).ToList(),
    };

    private static readonly CharacterConfig Character = new() { PersonaPrompt = "You are Mao." };

    [Fact]
    public void Persona_is_followed_directly_by_tool_prompts_in_order_with_expression_keys()
    {
        var system = System("think_tag_prompt", "group_conversation_prompt", "live2d_expression_prompt",
                            "proactive_speak_prompt", "mcp_prompt");

        var prompt = SystemPromptComposer.Compose(system, Character, Mao, InterruptMethod.System, "conf.yaml");

        Assert.Equal("You are Mao.\nThink in <think> tags.\nExpressions: [neutral], [anger], [joy], use them.", prompt);
    }

    [Fact]
    public void Prompt_files_are_found_by_their_configured_stem()
    {
        var system = System() with
        {
            ToolPrompts = [KeyValuePair.Create("live2d_expression_prompt", "think_tag_prompt")],
        };

        var prompt = SystemPromptComposer.Compose(system, Character, Mao, InterruptMethod.System, "conf.yaml");

        Assert.Equal("You are Mao.\nThink in <think> tags.", prompt);
    }

    [Fact]
    public void User_interrupt_method_adds_a_note_about_the_marker_after_a_blank_line()
    {
        var prompt = SystemPromptComposer.Compose(System("think_tag_prompt"), Character, Mao, InterruptMethod.User, "conf.yaml");

        Assert.StartsWith("You are Mao.\nThink in <think> tags.\n\n", prompt);
        var note = prompt["You are Mao.\nThink in <think> tags.\n\n".Length..];
        Assert.Contains("[Interrupted by user]", note);
        Assert.DoesNotContain('\n', note);
    }

    [Fact]
    public void Missing_prompt_file_names_the_tool_prompt_key_and_the_path()
    {
        var system = System() with
        {
            ToolPrompts = [KeyValuePair.Create("speakable_prompt", "no_such_prompt")],
        };

        var error = Assert.Throws<ConfigException>(
            () => SystemPromptComposer.Compose(system, Character, Mao, InterruptMethod.System, "/olv/conf.yaml"));

        Assert.Equal("/olv/conf.yaml", error.File);
        Assert.Equal("system_config.tool_prompts.speakable_prompt", error.KeyPath);
        Assert.Equal("no_such_prompt", error.Value);
        Assert.Contains(Path.Combine(_promptsDir, "utils", "no_such_prompt.txt"), error.Message);
    }

    [Fact]
    public void A_prompt_the_config_folder_lacks_is_read_from_the_bundled_prompts()
    {
        var system = System() with
        {
            ToolPrompts = [KeyValuePair.Create("speakable_prompt", "speakable_prompt")],
        };

        var prompt = SystemPromptComposer.Compose(system, Character, Mao, InterruptMethod.System, "/olv/conf.yaml");

        var bundled = File.ReadAllText(Path.Combine(Vtuber.Testing.RepositoryRoot.Path, "config", "prompts", "utils",
            "speakable_prompt.txt"));
        Assert.Equal("You are Mao." + bundled, prompt);
    }
}
