using System.Buffers;
using System.Text.Json;

namespace Vtuber.Protocol;

/// <summary>Why an audio array was refused; the message names the first bad index.</summary>
public sealed class AudioSampleException(string message) : Exception(message);

/// <summary>
/// Reads a JSON array of float samples in [-1, 1] (olv-protocol.md 3: 16 kHz mono) straight from a
/// <see cref="Utf8JsonReader"/> into a pooled buffer: no JsonDocument, no list of doubles. The frontend sends 4096
/// samples per frame, so the first rent is that size and only larger frames grow (doubling, old array returned).
/// </summary>
public static class AudioSampleArray
{
    private const int FrontendChunk = 4096;

    /// <summary>
    /// Reads the array whose StartArray the reader is positioned on (or the value token following a property name)
    /// and leaves the reader on its EndArray. <paramref name="field"/> names the array in error messages.
    /// </summary>
    public static AudioSamples Read(ref Utf8JsonReader reader, string field = "audio")
    {
        if (reader.TokenType == JsonTokenType.PropertyName && !reader.Read())
        {
            throw new AudioSampleException($"field '{field}' has no value");
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new AudioSampleException($"field '{field}' must be an array of numbers, got {Describe(reader.TokenType)}");
        }

        var buffer = ArrayPool<float>.Shared.Rent(FrontendChunk);
        var count = 0;
        try
        {
            while (true)
            {
                try
                {
                    if (!reader.Read())
                    {
                        throw new AudioSampleException($"{field}[{count}]: the array is not closed");
                    }
                }
                catch (JsonException e)
                {
                    // NaN and Infinity are not JSON (Python's json.dumps writes them anyway): name the sample.
                    throw new AudioSampleException($"{field}[{count}] is not a valid JSON number ({e.Message})");
                }
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return new AudioSamples(buffer, count);
                }
                if (reader.TokenType != JsonTokenType.Number)
                {
                    throw new AudioSampleException($"{field}[{count}] must be a number, got {Describe(reader.TokenType)}");
                }
                if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
                {
                    throw new AudioSampleException($"{field}[{count}] is not a finite number");
                }
                if (value is < -1 or > 1)
                {
                    throw new AudioSampleException(
                        $"{field}[{count}] = {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is outside [-1, 1]");
                }
                if (count == buffer.Length)
                {
                    buffer = Grow(buffer, count);
                }
                buffer[count++] = (float)value;
            }
        }
        catch
        {
            ArrayPool<float>.Shared.Return(buffer);
            throw;
        }
    }

    private static float[] Grow(float[] buffer, int count)
    {
        var larger = ArrayPool<float>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, count).CopyTo(larger);
        ArrayPool<float>.Shared.Return(buffer);
        return larger;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
