using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;

namespace Vtuber.Speech.Tts.Piper;

/// <summary>
/// piper_tts: a Piper voice (a VITS model exported to ONNX plus its JSON config) run with ONNX Runtime. espeak-ng
/// gives the phonemes, the config's phoneme_id_map turns them into ids, and the model takes
/// <c>input</c> int64[1,N], <c>input_lengths</c> int64[1], <c>scales</c> float[3] (noise, length, noise_w) and, for
/// multi-speaker voices, <c>sid</c> int64[1]; it returns float audio [1,1,1,T] at the config's sample rate.
/// One session serves all sentences (ONNX Runtime sessions are safe to run concurrently).
/// </summary>
public sealed class PiperTts : ITtsEngine, IDisposable
{
    public const string Model = "piper_tts";

    private readonly PiperTtsConfig _config;
    private readonly PiperVoiceConfig _voice;
    private readonly InferenceSession _session;
    private readonly EspeakPhonemizer _phonemizer;
    private readonly bool _takesSpeakerId;

    private PiperTts(PiperTtsConfig config, PiperVoiceConfig voice, InferenceSession session)
    {
        _config = config;
        _voice = voice;
        _session = session;
        _phonemizer = new EspeakPhonemizer(config.EspeakExecutable);
        _takesSpeakerId = session.InputMetadata.ContainsKey("sid");
    }

    public string Name => Model;

    public PiperVoiceConfig Voice => _voice;

    /// <summary>Loads model_path and its model_path + ".json"; a missing or broken file is an <see cref="InvalidDataException"/>.</summary>
    /// <summary>
    /// The cheap part of <see cref="Load"/>: the voice model and its .onnx.json exist and the config parses (no
    /// ONNX session). Throws InvalidDataException naming what is wrong.
    /// </summary>
    public static (string ModelPath, PiperVoiceConfig Voice) CheckFiles(PiperTtsConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var modelPath = config.ModelPath ?? throw new InvalidDataException("no model_path");
        var configPath = modelPath + ".json";
        if (!File.Exists(modelPath))
            throw new InvalidDataException($"no Piper voice model at {modelPath}");
        if (!File.Exists(configPath))
            throw new InvalidDataException($"no Piper voice config at {configPath} (it sits next to the .onnx file)");
        return (modelPath, PiperVoiceConfig.Parse(File.ReadAllText(configPath), configPath));
    }

    public static PiperTts Load(PiperTtsConfig config)
    {
        var (modelPath, voice) = CheckFiles(config);
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{modelPath} is not a loadable ONNX model: {e.Message}", e);
        }
        foreach (var input in new[] { "input", "input_lengths", "scales" })
            if (!session.InputMetadata.ContainsKey(input))
            {
                session.Dispose();
                throw new InvalidDataException(
                    $"{modelPath} is not a Piper voice: it has no '{input}' input " +
                    $"(it has {string.Join(", ", session.InputMetadata.Keys)})");
            }
        return new PiperTts(config, voice, session);
    }

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var phonemes = await _phonemizer.PhonemizeAsync(text, _voice.EspeakVoice, cancellationToken);
        var ids = PiperPhonemeIds.FromPhonemes(phonemes, _voice.PhonemeIdMap);
        // Inference is CPU-bound native work: a dedicated thread keeps it off the pool the actors and sockets use.
        var samples = await Task.Factory.StartNew(() => Infer(ids), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return new Pcm16Audio(ToPcm16(samples), _voice.SampleRate, 1);
    }

    private float[] Infer(long[] ids)
    {
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input", new DenseTensor<long>(ids, [1, ids.Length])),
            NamedOnnxValue.CreateFromTensor("input_lengths", new DenseTensor<long>(new long[] { ids.Length }, [1])),
            NamedOnnxValue.CreateFromTensor("scales", new DenseTensor<float>(new[]
            {
                (float)(_config.NoiseScale ?? _voice.NoiseScale),
                (float)(_config.LengthScale ?? _voice.LengthScale),
                (float)(_config.NoiseW ?? _voice.NoiseW),
            }, [3])),
        };
        if (_takesSpeakerId)
            inputs.Add(NamedOnnxValue.CreateFromTensor("sid",
                new DenseTensor<long>(new long[] { _config.SpeakerId ?? 0 }, [1])));
        try
        {
            using var results = _session.Run(inputs);
            return results[0].AsTensor<float>().ToArray();
        }
        catch (OnnxRuntimeException e)
        {
            throw new TtsException(Model, $"inference failed: {e.Message}", e);
        }
    }

    // As Piper: optionally scale the peak to full range, apply the volume gain, clip, convert.
    private short[] ToPcm16(float[] samples)
    {
        var gain = (float)_config.Volume;
        if (_config.NormalizeAudio)
        {
            var peak = samples.Length == 0 ? 0f : samples.Max(MathF.Abs);
            if (peak > 1e-8f)
                gain /= peak;
        }
        var pcm = new short[samples.Length];
        for (var i = 0; i < samples.Length; i++)
            pcm[i] = (short)MathF.Round(Math.Clamp(samples[i] * gain, -1f, 1f) * 32767f);
        return pcm;
    }

    public void Dispose() => _session.Dispose();
}
