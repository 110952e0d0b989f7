using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Vtuber.Testing;

/// <summary>
/// The tools of the test MCP servers (stdio: tests/Vtuber.FakeMcpServer; HTTP: <see cref="FakeMcpHttpServer"/>),
/// made with the SDK's server side so calls go through the real MCP protocol. Counters let a test see what the
/// server saw (an in-process server only).
/// </summary>
public sealed class FakeMcpTools
{
    public const string Time = "It is 14:05 on 3 December 2026";
    private const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    private int _hangsStarted;
    private int _hangsCancelled;

    /// <summary>Calls of hang that were running.</summary>
    public int HangsStarted => Volatile.Read(ref _hangsStarted);
    /// <summary>Calls of hang the client cancelled (notifications/cancelled reached the server).</summary>
    public int HangsCancelled => Volatile.Read(ref _hangsCancelled);

    public IReadOnlyList<McpServerTool> All() =>
    [
        McpServerTool.Create(GetCurrentTime, new McpServerToolCreateOptions { Name = "get_current_time" }),
        McpServerTool.Create(CheckWeather, new McpServerToolCreateOptions { Name = "check_weather" }),
        McpServerTool.Create(TakePhoto, new McpServerToolCreateOptions { Name = "take_photo" }),
        McpServerTool.Create(HangAsync, new McpServerToolCreateOptions { Name = "hang" }),
        McpServerTool.Create(ExitServer, new McpServerToolCreateOptions { Name = "exit_server" }),
    ];

    [Description("The current time in a time zone.")]
    private static string GetCurrentTime([Description("An IANA time zone, e.g. UTC")] string timezone) =>
        $"{Time} in {timezone}.";

    [Description("The weather at a place (its station is always offline: a tool that reports an error).")]
    private static CallToolResult CheckWeather(string place) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = $"the weather station at {place} is offline" }],
    };

    [Description("Takes a photo of the sky: a caption and one image.")]
    private static CallToolResult TakePhoto() => new()
    {
        Content =
        [
            new TextContentBlock { Text = "A photo of a blue sky." },
            new TextContentBlock { Text = "Taken just now." },
            ImageContentBlock.FromBytes(Convert.FromBase64String(OnePixelPng), "image/png"),
        ],
    };

    [Description("Never answers (until the call is cancelled).")]
    private async Task<string> HangAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _hangsStarted);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _hangsCancelled);
            throw;
        }
        return "never";
    }

    [Description("Ends the server process in the middle of the call (a server that dies).")]
    private static string ExitServer()
    {
        Environment.Exit(3);
        return "never";
    }
}
