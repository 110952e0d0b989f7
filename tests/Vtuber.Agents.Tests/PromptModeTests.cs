using System.Text.Json;
using Vtuber.Agents.Tools;

namespace Vtuber.Agents.Tests;

public sealed class PromptModeTests
{
    private static (string Text, string? Call) Feed(params string[] deltas)
    {
        var detector = new JsonCallDetector();
        var text = "";
        foreach (var delta in deltas)
        {
            text += detector.Push(delta, out var call);
            if (call is { } found)
            {
                return (text, found.GetRawText());
            }
        }
        return (text + detector.Flush(), null);
    }

    [Fact]
    public void A_call_split_across_deltas_is_found_and_the_text_before_it_passes()
    {
        var (text, call) = Feed("Let me look. {\"mcp_server\": \"time\", ", "\"tool\": \"now\", \"arguments\": \"{\\\"a\\\": \\\"}\\\"}\"}",
            " never read");

        Assert.Equal("Let me look. ", text);
        Assert.Equal("""{"mcp_server": "time", "tool": "now", "arguments": "{\"a\": \"}\"}"}""", call);
    }

    [Fact]
    public void Braces_that_are_not_a_call_are_text()
    {
        Assert.Equal(("A set {1, 2} and {\"x\": 1} stay.", null), Feed("A set {1, 2} and ", "{\"x\": 1} stay."));
        Assert.Equal(("An open { never closes", null), Feed("An open { never ", "closes"));
    }

    [Fact]
    public void Arguments_are_laid_out_as_pythons_json_dumps_writes_them()
    {
        using var document = JsonDocument.Parse("""{"q":"天气","n":[1,2.5,true,null],"o":{}}""");

        Assert.Equal("""{"q": "天气", "n": [1, 2.5, true, null], "o": {}}""", PythonJson.Dumps(document.RootElement));
    }
}
