using System.Threading.Channels;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vtuber.Speech.Vad;

namespace Vtuber.Actors.Voice;

/// <summary>vtuber.vad in hocon/vad.conf.</summary>
public sealed record VadBatcherSettings(string ModelPath, int MaxBatch, int QueueCapacity, string Dispatcher)
{
    public const string ConfigPath = "vtuber.vad";

    public static VadBatcherSettings From(Config config)
    {
        var vad = config.GetConfig(ConfigPath) ?? throw new ConfigurationException(
            $"{ConfigPath} is missing: load hocon/vad.conf (WithServerVad) before using the VAD batcher");
        var modelPath = vad.GetString("model-path", "");
        return new VadBatcherSettings(
            string.IsNullOrEmpty(modelPath) ? SileroVad.DefaultModelPath : modelPath,
            vad.GetInt("max-batch", 64),
            vad.GetInt("queue-capacity", 4096),
            ConfigPath + ".dispatcher");
    }
}

/// <summary>Counters for tests and the bench: how much batching really happened.</summary>
public sealed record VadBatcherStats(long Runs, long Windows, int LargestBatch);

/// <summary>
/// One per node (an Akka extension, so every session of the ActorSystem finds the same one): gathers 512-sample
/// windows from all sessions into batched Silero runs on the dedicated vtuber.vad.dispatcher, and hands each window's
/// probability back to the session that asked. Graph: bounded channel → Batch(max-batch) → async boundary →
/// inference on the dispatcher. Batch (not GroupedWithin) forms a batch from whatever arrived while the previous
/// run was busy, so a lone window never waits for a timer and a loaded node gets large batches by itself.
/// Order per session holds because a session has at most one window in flight (its recurrent state is the input of
/// the next window), enforced by <see cref="VadStream"/>.
/// </summary>
public sealed class VadBatcher : IExtension, IDisposable
{
    private readonly SileroVad _vad;
    private readonly Channel<Request> _requests;
    private readonly Lock _inference = new();
    private bool _disposed;
    private long _runs;
    private long _windows;
    private int _largestBatch;

    public VadBatcher(SileroVad vad, VadBatcherSettings settings, IMaterializer materializer)
    {
        _vad = vad;
        // Bounded; overflow policy: writers wait (InferAsync does not complete its write) — backpressure that
        // reaches each session's audio graph and from there its socket reader.
        _requests = Channel.CreateBounded<Request>(new BoundedChannelOptions(settings.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        var maxBatch = Math.Min(settings.MaxBatch, vad.MaxBatch);
        ChannelSource.FromReader(_requests.Reader)
            .Batch(maxBatch, first => new List<Request>(maxBatch) { first }, (batch, next) =>
            {
                batch.Add(next);
                return batch;
            })
            .Async()
            // Input buffer 1: a finished batch does not queue behind the running one while more windows could
            // still join it upstream.
            .RunWith(Sink.ForEach<List<Request>>(Run)
                .WithAttributes(ActorAttributes.CreateDispatcher(settings.Dispatcher)
                    .And(Attributes.CreateInputBuffer(1, 1))), materializer);
    }

    /// <summary>The node's batcher; the first call loads the model (hocon/vad.conf must be loaded).</summary>
    public static VadBatcher For(ActorSystem system) => system.WithExtension<VadBatcher, VadBatcherProvider>();

    public VadBatcherStats Stats => new(Interlocked.Read(ref _runs), Interlocked.Read(ref _windows), Volatile.Read(ref _largestBatch));

    /// <summary>Speech probability of the stream's next window, computed in a batch with other streams' windows.</summary>
    public async Task<float> InferAsync(VadStream stream, float[] window, CancellationToken cancellationToken = default)
    {
        stream.Begin();
        var request = new Request(stream, window, new TaskCompletionSource<float>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await _requests.Writer.WriteAsync(request, cancellationToken);
        }
        catch
        {
            stream.End();
            throw;
        }
        return await request.Probability.Task;
    }

    private void Run(List<Request> batch)
    {
        var probabilities = new float[batch.Count];
        Exception? failure = null;
        lock (_inference)
        {
            if (_disposed)
            {
                failure = new ObjectDisposedException(nameof(VadBatcher));
            }
            else
            {
                try
                {
                    _vad.Run(batch.Select(r => r.Window).ToArray(), batch.Select(r => r.Stream.State).ToArray(), probabilities);
                }
                catch (Exception e)
                {
                    // A failed run fails only its windows' sessions; the batcher keeps serving the others.
                    failure = e;
                }
            }
        }
        Interlocked.Increment(ref _runs);
        Interlocked.Add(ref _windows, batch.Count);
        if (batch.Count > Volatile.Read(ref _largestBatch))
        {
            Volatile.Write(ref _largestBatch, batch.Count); // only this stage writes it
        }
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Stream.End();
            if (failure is null)
            {
                batch[i].Probability.SetResult(probabilities[i]);
            }
            else
            {
                batch[i].Probability.SetException(failure);
            }
        }
    }

    public void Dispose()
    {
        _requests.Writer.TryComplete();
        lock (_inference)
        {
            if (!_disposed)
            {
                _disposed = true;
                _vad.Dispose();
            }
        }
    }

    private sealed record Request(VadStream Stream, float[] Window, TaskCompletionSource<float> Probability);
}

/// <summary>One audio stream's recurrent Silero state (one per session); one window in flight at a time.</summary>
public sealed class VadStream
{
    private int _busy;

    internal float[] State { get; } = new float[SileroVad.StateSize];

    internal void Begin()
    {
        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            throw new InvalidOperationException("a VAD stream has one window in flight at a time: its state feeds the next");
        }
    }

    internal void End() => Volatile.Write(ref _busy, 0);
}

public sealed class VadBatcherProvider : ExtensionIdProvider<VadBatcher>
{
    public override VadBatcher CreateExtension(ExtendedActorSystem system)
    {
        var settings = VadBatcherSettings.From(system.Settings.Config);
        var batcher = new VadBatcher(new SileroVad(settings.ModelPath, settings.MaxBatch), settings,
            ActorMaterializer.Create(system, namePrefix: "vad-batcher"));
        system.RegisterOnTermination(batcher.Dispose);
        return batcher;
    }
}
