using System.Diagnostics;
using Akka.Actor;
using Akka.Streams;
using Vtuber.Actors.Sessions;
using Vtuber.Actors.Turns;
using Vtuber.Agents;
using Vtuber.Domain.Config;
using Vtuber.Domain.Text;
using Vtuber.Speech.Tts;
using Vtuber.Testing;

namespace Vtuber.Bench;

/// <summary>
/// Where the time to the first audio frame goes, stage by stage, with instant fakes (same process, same run):
/// the LLM's first token through our agent vs a raw HTTP read, one sentence rendered (TTS call + decode + WAV +
/// volumes + JSON), and the turn graph alone with an in-memory token source and an in-memory socket.
/// </summary>
public static class TurnPartsBench
{
    public static async Task RunAsync(int rounds)
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.DefaultReply = new FakeReply(["Hello there! ", "This is the second sentence."]);
        using var http = new HttpClient();
        var settings = new LlmProviderSettings("openai_compatible_llm", llm.BaseUrl, "bench", "bench", 1.0,
            InterruptMethod.User, null, null);
        var agent = new ChatAgent(LlmProviders.CreateClient(settings, http), settings, "You are a bench.");
        var engine = TtsEngineFactory.Create(new TtsConfig
        {
            TtsModel = "openai_tts",
            OpenAiTts = new OpenAiTtsConfig { BaseUrl = tts.BaseUrl.ToString(), FileExtension = "wav" },
        }, http, "bench");
        var ttsTimeout = TimeSpan.FromSeconds(new TurnOptions().TtsTimeoutSeconds);
        var renderer = new SentenceRenderer(engine, ttsTimeout);
        var shaper = new ShaperOptions(true, SegmentMethod.Pysbd, new Dictionary<string, Expression>(),
            new TtsPreprocessorConfig(), "Mao", "mao.png");
        var sentence = new SentenceShaper(shaper).Push("Hello there! ")[0];
        using var system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
        var materializer = system.Materializer();

        var agentFirstToken = new List<double>();
        var render = new List<double>();
        var graphFirstFrame = new List<double>();
        for (var i = 0; i < rounds + 20; i++)
        {
            var clock = Stopwatch.StartNew();
            var request = agent.BeginTurn(new UserInput("hello", []));
            await using (var tokens = agent.StreamAsync(request, CancellationToken.None).GetAsyncEnumerator())
            {
                await tokens.MoveNextAsync();
                var first = clock.Elapsed.TotalMilliseconds;
                while (await tokens.MoveNextAsync())
                {
                }
                if (i >= 20)
                {
                    agentFirstToken.Add(first);
                }
            }
            agent.CompleteTurn("Hello there! This is the second sentence.");

            clock.Restart();
            await renderer.RenderAsync(sentence, CancellationToken.None);
            if (i >= 20)
            {
                render.Add(clock.Elapsed.TotalMilliseconds);
            }

            var connection = new MemoryConnection();
            clock.Restart();
            var (_, completion) = TurnPipeline.Run(1, _ => Tokens(), shaper, new SentenceRenderer(new InstantTts(), ttsTimeout), 3,
                connection, new TurnTranscript(), materializer, CancellationToken.None);
            await connection.FirstFrame.Task;
            var firstFrame = clock.Elapsed.TotalMilliseconds;
            await completion;
            if (i >= 20)
            {
                graphFirstFrame.Add(firstFrame);
            }
        }
        await system.Terminate();

        Console.WriteLine($"turn-parts bench: {rounds} rounds after 20 warm-up, instant fakes");
        Console.WriteLine($"  agent: first LLM token through IChatClient   median {Median(agentFirstToken):F3} ms");
        Console.WriteLine($"  one sentence rendered (TTS+decode+WAV+JSON)  median {Median(render):F3} ms");
        Console.WriteLine($"  turn graph alone to first frame (no I/O)     median {Median(graphFirstFrame):F3} ms");
    }

    private static async IAsyncEnumerable<string> Tokens()
    {
        await Task.Yield();
        yield return "Hello there! ";
        yield return "This is the second sentence.";
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private sealed class InstantTts : ITtsEngine
    {
        private static readonly Domain.Audio.Pcm16Audio Clip =
            new(Enumerable.Range(0, 22050).Select(i => (short)(Math.Sin(i / 10.0) * 8000)).ToArray(), 22050, 1);

        public string Name => "instant";

        public Task<Domain.Audio.Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken) =>
            Task.FromResult(Clip);
    }

    private sealed class MemoryConnection : IClientConnection
    {
        public TaskCompletionSource FirstFrame { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TurnGate Gate { get; } = new();
        public bool TryEnqueue(OutboundFrame frame) => true;

        public ValueTask<bool> EnqueueTurnFrameAsync(OutboundFrame frame, CancellationToken cancellationToken)
        {
            FirstFrame.TrySetResult();
            return ValueTask.FromResult(true);
        }

        public void Close(string reason)
        {
        }
    }
}
