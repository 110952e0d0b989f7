using Microsoft.ML.OnnxRuntime;
using Vtuber.Domain.Vad;

namespace Vtuber.Speech.Vad;

/// <summary>
/// Silero VAD v5 on ONNX Runtime, loaded once per node and shared by every stream through batching: one run takes
/// up to <see cref="MaxBatch"/> windows from different streams (input [B,512], state [2,B,128]), each stream's
/// recurrent state gathered in and scattered back. Buffers and OrtValues are allocated once per batch size and
/// reused: creating them per call costs about as much as the inference itself. Not thread-safe: one caller at a time
/// (the VAD batcher's single inference stage).
/// </summary>
public sealed class SileroVad : IDisposable
{
    public const int StateLayers = 2;
    public const int StateWidth = 128;
    /// <summary>Floats of one stream's recurrent state ([2,128]); a new stream starts from zeros.</summary>
    public const int StateSize = StateLayers * StateWidth;

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input;
    private readonly float[] _state;
    private readonly float[] _output;
    private readonly float[] _stateOut;
    private readonly OrtValue _sampleRate;
    private readonly Dictionary<int, BatchValues> _byBatchSize = [];
    private static readonly string[] InputNames = ["input", "state", "sr"];
    private static readonly string[] OutputNames = ["output", "stateN"];

    public SileroVad(string modelPath, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"Silero VAD model not found at {modelPath}", modelPath);
        }
        MaxBatch = maxBatch;
        // One thread per run: the batcher parallelises across streams by batching, and the machine's other cores
        // serve sockets, LLM streams and TTS. Measured: batching halves the per-window cost, threads do not help.
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelPath, options);
        _input = new float[maxBatch * VadWindow.Samples];
        _state = new float[maxBatch * StateSize];
        _output = new float[maxBatch];
        _stateOut = new float[maxBatch * StateSize];
        _sampleRate = OrtValue.CreateTensorValueFromMemory(new long[] { VadWindow.SampleRate }, []);
    }

    /// <summary>The bundled model, copied next to the binaries from the repository's models/ folder.</summary>
    public static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, "models", "silero_vad_v5.onnx");

    public int MaxBatch { get; }

    /// <summary>
    /// Speech probability of each window; windows[i] belongs to the stream whose state is states[i] (StateSize
    /// floats, updated in place). A stream must appear at most once per run: its next window needs this one's state.
    /// </summary>
    public void Run(IReadOnlyList<float[]> windows, IReadOnlyList<float[]> states, Span<float> probabilities)
    {
        var batch = windows.Count;
        if (batch < 1 || batch > MaxBatch || states.Count != batch || probabilities.Length < batch)
        {
            throw new ArgumentException($"a batch holds 1..{MaxBatch} windows, one state and one probability slot each");
        }
        for (var b = 0; b < batch; b++)
        {
            windows[b].AsSpan(0, VadWindow.Samples).CopyTo(_input.AsSpan(b * VadWindow.Samples));
            for (var layer = 0; layer < StateLayers; layer++)
            {
                states[b].AsSpan(layer * StateWidth, StateWidth)
                    .CopyTo(_state.AsSpan((layer * batch + b) * StateWidth));
            }
        }

        var values = Values(batch);
        _session.Run(_runOptions, InputNames, values.Inputs, OutputNames, values.Outputs);

        for (var b = 0; b < batch; b++)
        {
            for (var layer = 0; layer < StateLayers; layer++)
            {
                _stateOut.AsSpan((layer * batch + b) * StateWidth, StateWidth)
                    .CopyTo(states[b].AsSpan(layer * StateWidth));
            }
        }
        _output.AsSpan(0, batch).CopyTo(probabilities);
    }

    private BatchValues Values(int batch)
    {
        if (!_byBatchSize.TryGetValue(batch, out var values))
        {
            // Views over the front of the shared buffers, shaped for this batch size.
            var memory = OrtMemoryInfo.DefaultInstance;
            values = new BatchValues(
                [
                    OrtValue.CreateTensorValueFromMemory(memory, _input.AsMemory(0, batch * VadWindow.Samples), [batch, VadWindow.Samples]),
                    OrtValue.CreateTensorValueFromMemory(memory, _state.AsMemory(0, batch * StateSize), [StateLayers, batch, StateWidth]),
                    _sampleRate,
                ],
                [
                    OrtValue.CreateTensorValueFromMemory(memory, _output.AsMemory(0, batch), [batch, 1]),
                    OrtValue.CreateTensorValueFromMemory(memory, _stateOut.AsMemory(0, batch * StateSize), [StateLayers, batch, StateWidth]),
                ]);
            _byBatchSize[batch] = values;
        }
        return values;
    }

    public void Dispose()
    {
        foreach (var values in _byBatchSize.Values)
        {
            values.Inputs[0].Dispose();
            values.Inputs[1].Dispose();
            values.Outputs[0].Dispose();
            values.Outputs[1].Dispose();
        }
        _sampleRate.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private sealed record BatchValues(OrtValue[] Inputs, OrtValue[] Outputs);
}
