using System.Buffers;
using System.Text.Json;

namespace Vtuber.Protocol;

/// <summary>
/// The fast path for raw-audio-data frames (tens of KB of floats, dozens per second per client): one Utf8JsonReader
/// pass straight into a buffer rented from ArrayPool&lt;float&gt;.Shared, no JsonDocument, no boxed numbers.
/// Samples must be finite numbers in [-1, 1] (16 kHz mono, as OLV's spec); anything else refuses the frame.
/// </summary>
public static class RawAudioDataParser
{
    public const string Type = "raw-audio-data";
    private const int InitialSamples = 4096; // the frontend's and most scripts' chunk size

    /// <summary>
    /// The parsed message or its refusal when the frame is a raw-audio-data message; null when it is anything else
    /// (or not valid JSON), which the general <see cref="ClientMessageParser"/> then handles and reports.
    /// </summary>
    public static ParseResult? TryParse(ReadOnlySpan<byte> utf8Json)
    {
        float[]? samples = null;
        var count = 0;
        string? error = null;
        var isRawAudio = false;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(Type))
                    {
                        return Discard(samples); // another message type: usually known at the first property
                    }
                    isRawAudio = true;
                }
                else if (reader.ValueTextEquals("audio"u8) && samples is null && error is null)
                {
                    reader.Read();
                    error = ReadSamples(ref reader, out samples, out count);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return Discard(samples);
        }

        if (!isRawAudio)
        {
            return Discard(samples);
        }
        if (error is null && samples is null)
        {
            error = "field 'audio' must be an array of numbers";
        }
        if (error is not null)
        {
            Discard(samples);
            return ParseResult.Fail($"Invalid '{Type}' message: {error}");
        }
        return ParseResult.Ok(new RawAudioData(samples!, count));
    }

    private static string? ReadSamples(ref Utf8JsonReader reader, out float[]? samples, out int count)
    {
        samples = null;
        count = 0;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return "field 'audio' must be an array of numbers";
        }
        samples = ArrayPool<float>.Shared.Rent(InitialSamples);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                reader.Skip();
                return $"audio[{count}] must be a number, got {reader.TokenType}";
            }
            // JSON has no NaN or infinity literals; a huge exponent does not fit a float and fails here too.
            if (!reader.TryGetSingle(out var sample) || !float.IsFinite(sample) || sample is < -1f or > 1f)
            {
                return $"audio[{count}] must be a sample in [-1, 1], got {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}";
            }
            if (count == samples.Length)
            {
                var larger = ArrayPool<float>.Shared.Rent(samples.Length * 2);
                samples.AsSpan().CopyTo(larger);
                ArrayPool<float>.Shared.Return(samples);
                samples = larger;
            }
            samples[count++] = sample;
        }
        return null;
    }

    private static ParseResult? Discard(float[]? samples)
    {
        if (samples is not null)
        {
            ArrayPool<float>.Shared.Return(samples);
        }
        return null;
    }
}
