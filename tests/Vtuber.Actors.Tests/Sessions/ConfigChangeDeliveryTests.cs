using System.Collections.Concurrent;
using System.Text.Json;
using Akka.TestKit.Xunit2;
using Vtuber.Actors.Characters;
using Vtuber.Actors.Configuration;
using Vtuber.Actors.Sessions;
using Vtuber.Domain.Config;
using Vtuber.Testing;

namespace Vtuber.Actors.Tests.Sessions;

/// <summary>Hot reload reaches every session, also one created while the change was being published.</summary>
public sealed class ConfigChangeDeliveryTests : TestKit, IDisposable
{
    private readonly HttpClient _http = new();

    private sealed class RecordingConnection : IClientConnection
    {
        public ConcurrentQueue<JsonElement> Frames { get; } = new();
        public TurnGate Gate { get; } = new();

        public bool TryEnqueue(OutboundFrame frame)
        {
            Frames.Enqueue(JsonDocument.Parse(frame.Utf8Json).RootElement.Clone());
            return true;
        }

        public ValueTask<bool> EnqueueTurnFrameAsync(OutboundFrame frame, CancellationToken cancellationToken) =>
            ValueTask.FromResult(TryEnqueue(frame));

        public void Close(string reason)
        {
        }

        /// <summary>conf_name of the last set-model-and-conf this session sent.</summary>
        public string? ConfName => Frames.LastOrDefault(f => f.GetProperty("type").GetString() == "set-model-and-conf")
            is { ValueKind: JsonValueKind.Object } frame ? frame.GetProperty("conf_name").GetString() : null;
    }

    [Fact]
    public void A_session_created_while_a_change_is_published_ends_up_with_the_newest_config()
    {
        var config = ConfigLoader.Load(Path.Combine(RepositoryRoot.Path, "config", "conf.yaml"));
        var services = new[] { "first", "second" }
            .Select(name => CharacterServices.Build(config with { Character = config.Character with { ConfName = name } }, _http))
            .ToArray();
        var supervisor = SessionsRoot.Start(Sys, services[0], CreateTestProbe().Ref, new TurnOptions());
        var connections = new List<RecordingConnection>();

        // Each session is asked for, and right behind it a change is published: the race of a real reload.
        for (var i = 0; i < 40; i++)
        {
            var connection = new RecordingConnection();
            connections.Add(connection);
            supervisor.Tell(new StartSession($"client-{i}", connection), TestActor);
            var next = services[(i + 1) % 2];
            Sys.EventStream.Publish(new ConfigChanged(next.Config, next));
        }

        var newest = services[40 % 2].Character.ConfName;
        AwaitAssert(() => Assert.All(connections, c => Assert.Equal(newest, c.ConfName)), TimeSpan.FromSeconds(10));
    }

    protected override void Dispose(bool disposing)
    {
        _http.Dispose();
        base.Dispose(disposing);
    }
}
