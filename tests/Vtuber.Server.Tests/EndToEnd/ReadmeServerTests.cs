using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>
/// The server started the way the README says (dotnet run --project src/Vtuber.Server -- --config ...), as a child
/// process, answering a scripted client that replays olv-protocol.md 2.19 (a) connect and (b) a text turn.
/// </summary>
public sealed class ReadmeServerTests
{
    [Fact]
    public async Task Server_started_as_the_readme_says_answers_the_spec_transcripts()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl);
        var port = FreePort();
        using var server = StartServerProcess(folder.ConfigPath, port);
        try
        {
            await using var client = await ConnectWithRetryAsync(new Uri($"http://127.0.0.1:{port}"), server);

            // (a) connect
            var greeting = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                greeting.Add(OlvClient.Describe(await client.ReceiveAsync()));
            }
            Assert.Equal(["group-update", "full-text(Connection established)", "set-model-and-conf", "group-update", "control(start-mic)"], greeting);
            await client.SendAsync(new { type = "fetch-backgrounds" });
            await client.SendAsync(new { type = "fetch-configs" });
            await client.SendAsync(new { type = "fetch-history-list" });
            await client.SendAsync(new { type = "create-new-history" });
            Assert.Equal(["background-files", "config-files", "history-list", "new-history-created"],
                new[] { await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync() }
                    .Select(OlvClient.Type));

            // (b) text-input "hello" → a two-sentence reply with an expression
            llm.ReplyTo("hello", new FakeReply(["[joy] Hi!", " Nice to meet you."]));
            await client.SendAsync(new { type = "text-input", text = "hello", images = Array.Empty<object>() });
            var reply = await client.ReceiveUntilAsync("backend-synth-complete");
            Assert.Equal(["control(conversation-chain-start)", "full-text(Thinking...)", "audio([joy] Hi!)", "audio(Nice to meet you.)", "backend-synth-complete"],
                reply.Select(OlvClient.Describe));
            Assert.Equal("""{"expressions":[3]}""", reply[2]["actions"]!.ToJsonString());
            await client.SendAsync(new { type = "audio-play-start", display_text = new { text = "[joy] Hi!", name = "Mao", avatar = "mao.png" }, forwarded = true });
            await client.SendAsync(new { type = "frontend-playback-complete" });
            var end = await client.ReceiveUntilAsync("control", "conversation-chain-end");
            Assert.Equal(["force-new-message", "control(conversation-chain-end)"], end.Select(OlvClient.Describe));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_bad_config_stops_start_up_with_file_key_and_expected_form()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl);
        File.WriteAllText(folder.ConfigPath, File.ReadAllText(folder.ConfigPath).Replace("port: 0", "port: 'twelve'", StringComparison.Ordinal));

        using var server = StartServerProcess(folder.ConfigPath, FreePort());
        var stderr = await server.StandardError.ReadToEndAsync();
        await server.WaitForExitAsync();

        Assert.Equal(2, server.ExitCode);
        Assert.Contains(folder.ConfigPath, stderr);
        Assert.Contains("system_config.port", stderr);
        Assert.Contains("twelve", stderr);
    }

    [Fact]
    public async Task A_port_in_use_stops_start_up_with_one_line_and_exit_code_2()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl);
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();

        using var server = StartServerProcess(folder.ConfigPath, ((IPEndPoint)occupant.LocalEndpoint).Port);
        var stderr = await server.StandardError.ReadToEndAsync();
        await server.WaitForExitAsync();

        Assert.Equal(2, server.ExitCode);
        var line = Assert.Single(stderr.Split('\n'), l => l.StartsWith("Start-up error: ", StringComparison.Ordinal));
        Assert.Contains("address already in use", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", stderr); // no stack trace
    }

    [Fact]
    public async Task An_engine_that_cannot_start_stops_start_up_with_one_line_and_exit_code_2()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, ttsModel: "flite");
        const string anchor = "    tts_model: 'flite'\n";
        var yaml = File.ReadAllText(folder.ConfigPath);
        Assert.Contains(anchor, yaml);
        File.WriteAllText(folder.ConfigPath,
            yaml.Replace(anchor, anchor + "    flite:\n      executable: '/nonexistent/flite'\n", StringComparison.Ordinal));

        using var server = StartServerProcess(folder.ConfigPath, FreePort());
        var stderr = await server.StandardError.ReadToEndAsync();
        await server.WaitForExitAsync();

        Assert.Equal(2, server.ExitCode);
        Assert.Contains("/nonexistent/flite", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    private static Process StartServerProcess(string configPath, int port)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ServerFolder.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "run", "--project", "src/Vtuber.Server", "--no-build", "--", "--config", configPath,
                     "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { }; // drain so the child never blocks on a full pipe
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task<OlvClient> ConnectWithRetryAsync(Uri server, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await OlvClient.ConnectAsync(server);
            }
            catch (System.Net.WebSockets.WebSocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
