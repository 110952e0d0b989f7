using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;

namespace Vtuber.Agents.Tools;

/// <summary>
/// The tool calls of one turn: gives the model this turn's tools as functions that report each call (running, then
/// completed or error) before and after it runs, and reports the calls the function-invocation loop answers without
/// running anything (a tool name the model made up). Used by one turn's stream only, one call at a time.
/// </summary>
internal sealed class TurnToolCalls(Func<ToolCallUpdate, ValueTask> report)
{
    private readonly HashSet<string> _reported = [];
    private readonly Dictionary<string, string> _names = [];

    public List<AITool> Functions(IReadOnlyList<McpTool> tools) =>
        tools.Select(tool => (AITool)new McpToolFunction(tool, this)).ToList();

    public ValueTask ReportAsync(ToolCallUpdate update)
    {
        _reported.Add(update.ToolId);
        return report(update);
    }

    /// <summary>
    /// Sees every update of the stream: the model's calls (their names) and the results the loop sends back. A
    /// result for a call no function reported was made by the loop itself: an unknown tool.
    /// </summary>
    public async ValueTask ObserveAsync(ChatResponseUpdate update)
    {
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case FunctionCallContent call:
                    _names[call.CallId] = call.Name;
                    break;
                case FunctionResultContent result when !_reported.Contains(result.CallId):
                    var text = result.Result?.ToString() ?? result.Exception?.Message ?? "the call was not run";
                    await ReportAsync(new ToolCallUpdate(result.CallId, _names.GetValueOrDefault(result.CallId, ""),
                        ToolCallPhase.Error, text.StartsWith(ErrorPrefix, StringComparison.Ordinal) ? text : ErrorPrefix + text));
                    break;
            }
        }
    }

    public const string ErrorPrefix = "Error: ";

    /// <summary>
    /// Runs one call and reports it: running (with its arguments), then completed or error. Returns what the model
    /// reads: every text block of the result, or the error. A failure is never thrown: it goes back to the model as
    /// the call's result, so it can say what went wrong or try otherwise. Only a cancelled turn throws.
    /// </summary>
    public async ValueTask<string> RunAsync(McpTool tool, string id, IDictionary<string, object?> arguments,
                                            CancellationToken cancellationToken)
    {
        var input = JsonSerializer.SerializeToElement(arguments, AIJsonUtilities.DefaultOptions);
        await ReportAsync(new ToolCallUpdate(id, tool.Name, ToolCallPhase.Running, "Input: " + PythonJson.Dumps(input)));

        CallToolResult result;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(tool.Server.CallTimeout);
        try
        {
            result = await tool.Server.CallAsync(tool.Name, arguments.AsReadOnly(), deadline.Token);
        }
        catch (Exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(id, tool.Name, $"{tool.Name} did not answer within {tool.Server.CallTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(id, tool.Name, e.Message);
        }

        var texts = result.Content.OfType<TextContentBlock>().Select(block => block.Text).ToList();
        var images = result.Content.OfType<ImageContentBlock>().Count();
        var first = texts.FirstOrDefault() ?? "";
        if (result.IsError == true)
        {
            return await FailAsync(id, tool.Name, first.Length > 0 ? first : $"{tool.Name} reported an error");
        }
        var imagesNote = images > 0 ? $"\n[Tool returned {images} image(s)]" : "";
        await ReportAsync(new ToolCallUpdate(id, tool.Name, ToolCallPhase.Completed, first + imagesNote));
        // The model reads every text block (the status shows only the first, as OLV's does).
        return string.Join("\n", texts) + imagesNote;
    }

    /// <summary>
    /// A call the model wrote as JSON in prompt mode, <c>{"mcp_server", "tool", "arguments"}</c>: arguments is a JSON
    /// string as OLV asks (an object is taken too). Returns what the model reads back.
    /// </summary>
    public async ValueTask<string> RunWrittenAsync(IReadOnlyList<McpTool> tools, JsonElement call,
                                                   CancellationToken cancellationToken)
    {
        var id = $"call_{Guid.NewGuid():N}";
        var name = call.TryGetProperty("tool", out var toolName) && toolName.ValueKind == JsonValueKind.String
            ? toolName.GetString()! : "";
        if (tools.FirstOrDefault(t => t.Name == name) is not { } tool)
        {
            return await FailAsync(id, name, $"there is no tool named \"{name}\"");
        }
        var arguments = call.TryGetProperty("arguments", out var given) ? given : default;
        try
        {
            if (arguments.ValueKind == JsonValueKind.String)
            {
                using var parsed = JsonDocument.Parse(arguments.GetString()!);
                arguments = parsed.RootElement.Clone();
            }
        }
        catch (JsonException e)
        {
            // OLV's id for a call whose arguments do not parse.
            return await FailAsync($"parse_error_{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss.ffffff}", name,
                $"the arguments of {name} are not valid JSON ({e.Message})");
        }
        if (arguments.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            return await FailAsync(id, name, $"the arguments of {name} are not a JSON object");
        }
        var dictionary = arguments.ValueKind == JsonValueKind.Object
            ? arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone())
            : [];
        return await RunAsync(tool, id, dictionary, cancellationToken);
    }

    /// <summary>Reports a call that cannot run; returns the error as the model reads it.</summary>
    public async ValueTask<string> FailAsync(string id, string toolName, string error)
    {
        await ReportAsync(new ToolCallUpdate(id, toolName, ToolCallPhase.Error, ErrorPrefix + error));
        return ErrorPrefix + error;
    }

    /// <summary>An MCP tool as a function the model can call natively; what it returns is what the model reads.</summary>
    private sealed class McpToolFunction(McpTool tool, TurnToolCalls calls) : AIFunction
    {
        public override string Name => tool.Name;
        public override string Description => tool.Definition.Description ?? "";
        public override JsonElement JsonSchema => tool.Definition.InputSchema;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments,
                                                                    CancellationToken cancellationToken)
        {
            var call = FunctionInvokingChatClient.CurrentContext?.CallContent;
            var id = call?.CallId is { Length: > 0 } callId ? callId : $"call_{Guid.NewGuid():N}";
            if (call?.Exception is { } unparsed)
            {
                return await calls.FailAsync(id, Name,
                    $"the arguments of {Name} are not valid JSON ({(unparsed.InnerException ?? unparsed).Message})");
            }
            return await calls.RunAsync(tool, id, arguments, cancellationToken);
        }
    }
}
