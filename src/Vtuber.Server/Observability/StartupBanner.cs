using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Vtuber.Actors.Characters;
using Vtuber.Domain.Config;

namespace Vtuber.Server.Observability;

/// <summary>
/// What an operator needs to see once the server listens: where to open it, which engines and journal are in use,
/// and (a moment later, from a bounded background probe that never delays start-up) whether the LLM answered.
/// Plain lines on stdout, not log records: this is the program's greeting, read by people.
/// </summary>
public static class StartupBanner
{
    public static void PrintWhenStarted(WebApplication app, CharacterServices character, HttpClient http, TextWriter output)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var config = character.Config;
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var open = addresses.Select(Browsable).FirstOrDefault() ?? $"http://{config.System.Host}:{config.System.Port}";
            var llm = character.Llm;
            var lines = new List<string>
            {
                "Vtuber.Akka is ready",
                $"  Open:      {open}/",
                $"  Dashboard: {open}/dashboard/   metrics {open}/metrics   health {open}/health/ready",
                $"  Frontend:  {Frontend(config.System)}",
                $"  LLM:       {llm.Key}, model {llm.Model}{(llm.Api == Vtuber.Agents.LlmApi.LlamaCpp ? "" : $" at {llm.BaseUrl}")}",
                $"  TTS:       {character.Tts.Name}",
                $"  ASR:       {character.Recognizer.Name}{(character.Recognizer is Vtuber.Speech.Asr.UnavailableRecognizer ? " (unavailable: voice input is off)" : "")}",
                $"  Journal:   {JournalHealthCheck.Describe(config.System.Journal)}",
                $"  OTLP:      {(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } otlp ? $"metrics to {otlp}" : "off (set OTEL_EXPORTER_OTLP_ENDPOINT to export)")}",
            };
            lock (output)
            {
                foreach (var line in lines) output.WriteLine(line);
                output.Flush();
            }
            _ = Task.Run(async () =>
            {
                var answer = await LlmProbe.ProbeAsync(llm, http, app.Lifetime.ApplicationStopping);
                lock (output)
                {
                    output.WriteLine($"  LLM endpoint {answer}");
                    output.Flush();
                }
            });
        });
    }

    // A wildcard listen address is not something a browser can open; this machine's name for it is.
    private static string Browsable(string address) =>
        address.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .TrimEnd('/');

    private static string Frontend(SystemConfig system) =>
        File.Exists(Path.Combine(system.FrontendDir, "index.html"))
            ? $"official OLV frontend from {system.FrontendDir}"
            : $"no official frontend in {system.FrontendDir} (/ says where to put it)";
}
