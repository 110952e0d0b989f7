using System.Text;
using Vtuber.Domain.Config;
using Vtuber.Domain.Live2d;

namespace Vtuber.Agents;

/// <summary>The basic agent's system prompt, composed as OLV's construct_system_prompt does (olv-protocol 7.2).</summary>
public static class SystemPromptComposer
{
    private const string ExpressionPrompt = "live2d_expression_prompt";
    private const string EmotionKeysPlaceholder = "[<insert_emomap_keys>]";

    // Used elsewhere or not at all: the group prompt fills a memory entry at group start, the proactive prompt is
    // the text of an ai-speak-signal turn, and OLV never reads mcp_prompt.txt (its tool list is generated).
    private static readonly string[] NotInSystemPrompt =
        ["group_conversation_prompt", "proactive_speak_prompt", "mcp_prompt"];

    // Our wording of OLV's hint; it names the marker exactly as memory holds it.
    private const string UserInterruptNote =
        "A message \"[Interrupted by user]\" means the user cut you off: your previous reply ends where they stopped listening.";

    /// <summary>
    /// persona_prompt, then each tool prompt file in tool_prompts order appended with no separator, then, when the
    /// interrupt marker arrives as a user message, a blank line and a note explaining it.
    /// </summary>
    /// <exception cref="ConfigException">A listed prompt file does not exist.</exception>
    public static string Compose(SystemConfig system, CharacterConfig character, Live2dModelInfo? model,
                                 InterruptMethod method, string configFile)
    {
        var prompt = new StringBuilder(character.PersonaPrompt);
        foreach (var (name, stem) in system.ToolPrompts)
        {
            if (NotInSystemPrompt.Contains(name))
            {
                continue;
            }
            var path = PromptFiles.Find(system.PromptsDir, stem)
                       ?? throw new ConfigException(configFile, $"system_config.tool_prompts.{name}", stem,
                           $"the name of a prompt file; {Path.Combine(system.PromptsDir, "utils", stem + ".txt")} does not exist");
            var content = File.ReadAllText(path);
            if (name == ExpressionPrompt)
            {
                content = content.Replace(EmotionKeysPlaceholder, EmotionKeys(model), StringComparison.Ordinal);
            }
            prompt.Append(content);
        }
        if (method == InterruptMethod.User)
        {
            prompt.Append("\n\n").Append(UserInterruptNote);
        }
        return prompt.ToString();
    }

    // OLV's format: "[neutral], [anger], [joy]," in model_dict order.
    private static string EmotionKeys(Live2dModelInfo? model) =>
        model is null ? "" : string.Join(" ", model.EmotionMap.Keys.Select(key => $"[{key}],"));
}
