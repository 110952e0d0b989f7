using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.Observability;

/// <summary>The server started as the README says prints where to open it and what it runs on, on stdout.</summary>
public sealed class StartupBannerTests
{
    [Fact]
    public async Task The_banner_names_the_address_engines_journal_and_whether_the_llm_answered()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl);
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = ServerFolder.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "run", "--project", "src/Vtuber.Server", "--no-build", "--", "--config", folder.ConfigPath,
                     "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }
        var lines = new ConcurrentQueue<string>();
        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, e) => { if (e.Data is { } line) lines.Enqueue(line); };
        server.ErrorDataReceived += (_, _) => { }; // drained so the child never blocks on a full pipe
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(() => lines.Any(l => l.StartsWith("  LLM endpoint ", StringComparison.Ordinal)) || server.HasExited,
                within: TimeSpan.FromSeconds(90), because: "the banner's LLM probe line");
            var banner = lines.ToList();
            Assert.Contains("Vtuber.Akka is ready", banner);
            Assert.Contains($"  Open:      http://127.0.0.1:{port}/", banner);
            Assert.Contains(banner, l => l.StartsWith($"  Dashboard: http://127.0.0.1:{port}/dashboard/", StringComparison.Ordinal));
            Assert.Contains(banner, l => l.StartsWith("  Frontend:  no official frontend in ", StringComparison.Ordinal));
            Assert.Contains(banner, l => l.StartsWith($"  LLM:       openai_compatible_llm, model fake-model at http://127.0.0.1:{llm.BaseUrl.Port}/", StringComparison.Ordinal));
            Assert.Contains("  TTS:       openai_tts", banner);
            Assert.Contains(banner, l => l.StartsWith("  ASR:       ", StringComparison.Ordinal));
            Assert.Contains($"  Journal:   sqlite {folder.JournalPath}", banner);
            Assert.Contains(banner, l => l.StartsWith("  LLM endpoint answered (HTTP ", StringComparison.Ordinal));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
