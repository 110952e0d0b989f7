using System.Text;

namespace Vtuber.Agents;

/// <summary>One message as a chat template sees it: OLV's role names (system, user, assistant) and the text.</summary>
public sealed record TemplateMessage(string Role, string Content);

/// <summary>
/// stateless_llm_with_template's chat templates, rendering exactly what OLV's Jinja templates render (whitespace
/// included, since a completion model reads every character): CHATML and LLAMA3 with OLV's bos token
/// <c>&lt;|begin_of_text|&gt;</c> (for both, as OLV) and four spaces before each turn, ALPACA with the last system
/// message on top and OLV's blank lines between the turns. Each template has the token that ends a reply.
/// </summary>
public static class PromptTemplates
{
    public const string ChatMl = "CHATML";
    public const string Llama3 = "LLAMA3";
    public const string Alpaca = "ALPACA";

    public static IReadOnlyList<string> Names { get; } = [ChatMl, Llama3, Alpaca];

    private const string BosToken = "<|begin_of_text|>";

    /// <summary>The text that, arriving as one piece of the stream, ends the reply (OLV's eot_token).</summary>
    public static string EndOfTurn(string template) => template switch
    {
        ChatMl => "<|im_end|>",
        Llama3 => "<|eot_id|>",
        Alpaca => "###",
        _ => throw new ArgumentOutOfRangeException(nameof(template), template, "one of CHATML, LLAMA3, ALPACA"),
    };

    /// <summary>The prompt for <paramref name="messages"/>, ending where the assistant's reply begins.</summary>
    public static string Render(string template, IReadOnlyList<TemplateMessage> messages) => template switch
    {
        ChatMl => Turns(messages, m => $"    <|im_start|>{m.Role}\n{Trim(m.Content)}<|im_end|>\n", "    <|im_start|>assistant\n"),
        Llama3 => Turns(messages, m => $"    <|start_header_id|>{m.Role}<|end_header_id|>\n\n{Trim(m.Content)}<|eot_id|>",
            "    <|start_header_id|>assistant<|end_header_id|>\n\n"),
        Alpaca => RenderAlpaca(messages),
        _ => throw new ArgumentOutOfRangeException(nameof(template), template, "one of CHATML, LLAMA3, ALPACA"),
    };

    private static string Turns(IReadOnlyList<TemplateMessage> messages, Func<TemplateMessage, string> turn, string generation)
    {
        var prompt = new StringBuilder(BosToken);
        foreach (var message in messages) prompt.Append(turn(message));
        return prompt.Append(generation).ToString();
    }

    private static string RenderAlpaca(IReadOnlyList<TemplateMessage> messages)
    {
        var system = messages.LastOrDefault(m => m.Role == "system");
        var prompt = new StringBuilder("\n").Append(system is null ? "" : Trim(system.Content)).Append("\n\n");
        for (var i = 0; i < messages.Count; i++)
        {
            var heading = messages[i].Role switch
            {
                "user" => "### Instruction:",
                "assistant" => "### Response:",
                "user_context" => "### Input:",
                _ => null, // the system message is on top already; the template writes nothing else for it
            };
            prompt.Append('\n');
            if (heading is not null)
            {
                prompt.Append('\n').Append(heading).Append('\n').Append(Trim(messages[i].Content));
                if (i < messages.Count - 1) prompt.Append("\n\n\n");
                prompt.Append('\n');
            }
            prompt.Append('\n');
        }
        prompt.Append('\n');
        if (messages.Count == 0 || messages[^1].Role != "assistant") prompt.Append("\n### Response:\n");
        return prompt.Append("\n        ").ToString();
    }

    // Jinja's trim filter is Python's str.strip(): every Unicode white space at both ends.
    private static string Trim(string text) => text.Trim();
}
