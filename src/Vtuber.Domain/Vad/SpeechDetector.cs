using Vtuber.Domain.Config;

namespace Vtuber.Domain.Vad;

public enum VadState { Idle, Active, Inactive }

/// <summary>
/// OLV's VAD state machine (olv-protocol.md 8.3), one per session (OLV shares one across all clients). It is fed
/// each window with the model's speech probability and decides when speech starts and ends. Two OLV defects are not
/// copied: the utterance stays in float [-1, 1] (OLV hands ASR int16 values unscaled), and a too-short recording is
/// discarded at speech end instead of being glued to the next utterance.
/// </summary>
public sealed class SpeechDetector
{
    /// <summary>Windows kept before speech starts (≈0.64 s), so the utterance includes its onset.</summary>
    public const int PreRollWindows = 20;
    /// <summary>An utterance needs more recorded windows than this (≈0.96 s) to be emitted.</summary>
    public const int MinimumRecordedWindows = 30;

    // OLV measures loudness on int16-scaled samples; db_threshold is expressed on that scale.
    private const double Int16Scale = 32767;

    private readonly SileroVadConfig _options;
    private readonly int _maxRecordedWindows;
    private readonly Queue<float[]> _preRoll = new(PreRollWindows);
    private readonly List<float[]> _recorded = [];
    private readonly double[] _probabilities;
    private readonly double[] _decibels;
    private int _smoothed; // windows in the smoothing rings (up to their length)
    private int _next;     // ring position of the next window
    private int _hits;
    private int _misses;

    /// <summary>
    /// maxRecordedWindows bounds a session's memory when speech never ends (a radio in the room): the utterance is
    /// cut there as if silence had ended it (default 1875 windows = 60 s; OLV records without limit).
    /// </summary>
    public SpeechDetector(SileroVadConfig options, int maxRecordedWindows = 1875)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxRecordedWindows, MinimumRecordedWindows);
        _options = options;
        _maxRecordedWindows = maxRecordedWindows;
        _probabilities = new double[options.SmoothingWindow];
        _decibels = new double[options.SmoothingWindow];
    }

    public VadState State { get; private set; } = VadState.Idle;

    /// <summary>Windows recorded since speech started (pre-roll not counted).</summary>
    public int RecordedWindows => _recorded.Count;

    /// <summary>Advances by one 512-sample window; the window array is kept (not copied) while it may be emitted.</summary>
    public VadEvent? Process(float[] window, float probability)
    {
        if (probability == 0)
        {
            return null; // OLV skips such windows entirely: no smoothing, no state change, not recorded
        }
        var hit = Smooth(probability, Decibels(window));
        switch (State)
        {
            case VadState.Idle:
                if (_preRoll.Count == PreRollWindows)
                {
                    _preRoll.Dequeue();
                }
                _preRoll.Enqueue(window);
                if (!hit)
                {
                    _hits = 0;
                    return null;
                }
                if (++_hits < _options.RequiredHits)
                {
                    return null;
                }
                State = VadState.Active;
                _hits = 0;
                _recorded.Add(window); // also the pre-roll's last window, as OLV (it appears twice)
                return SpeechStarted.Instance;

            case VadState.Active:
                _recorded.Add(window);
                if (_recorded.Count >= _maxRecordedWindows)
                {
                    return End();
                }
                if (hit)
                {
                    _misses = 0;
                }
                else if (++_misses >= _options.RequiredMisses)
                {
                    State = VadState.Inactive;
                    _misses = 0;
                }
                return null;

            default:
                _recorded.Add(window);
                if (_recorded.Count >= _maxRecordedWindows)
                {
                    return End();
                }
                if (hit)
                {
                    _misses = 0;
                    if (++_hits >= _options.RequiredHits)
                    {
                        State = VadState.Active;
                        _hits = 0;
                    }
                    return null;
                }
                _hits = 0;
                if (++_misses < _options.RequiredMisses)
                {
                    return null;
                }
                return End();
        }
    }

    private SpeechEnded End()
    {
        State = VadState.Idle;
        _hits = 0;
        _misses = 0;
        var utterance = _recorded.Count > MinimumRecordedWindows ? Collect() : null;
        _recorded.Clear();
        _preRoll.Clear();
        return new SpeechEnded(utterance);
    }

    /// <summary>Loudness of a window as OLV computes it: 20·log10(rms + 1e-7) on int16-scaled samples.</summary>
    public static double Decibels(ReadOnlySpan<float> window)
    {
        double sum = 0;
        foreach (var sample in window)
        {
            sum += (double)sample * sample;
        }
        var rms = Int16Scale * Math.Sqrt(sum / Math.Max(1, window.Length));
        return 20 * Math.Log10(rms + 1e-7);
    }

    private bool Smooth(double probability, double decibels)
    {
        _probabilities[_next] = probability;
        _decibels[_next] = decibels;
        _next = (_next + 1) % _probabilities.Length;
        _smoothed = Math.Min(_smoothed + 1, _probabilities.Length);
        double p = 0, db = 0;
        for (var i = 0; i < _smoothed; i++)
        {
            p += _probabilities[i];
            db += _decibels[i];
        }
        return p / _smoothed >= _options.ProbThreshold && db / _smoothed >= _options.DbThreshold;
    }

    private Utterance Collect()
    {
        var samples = new float[(_preRoll.Count + _recorded.Count) * VadWindow.Samples];
        var offset = 0;
        foreach (var window in _preRoll.Concat(_recorded))
        {
            window.CopyTo(samples, offset);
            offset += window.Length;
        }
        return new Utterance(samples);
    }
}
