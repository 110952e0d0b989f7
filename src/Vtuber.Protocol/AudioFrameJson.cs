using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vtuber.Protocol;

/// <summary>
/// The `audio` frame written straight from the WAV bytes: base64 goes from the bytes into the UTF-8 JSON in one
/// pass, with no base64 string (a second copy, on the large-object heap, for every sentence) and no UTF-16 to UTF-8
/// transcoding. The bytes are exactly what <see cref="ServerMessageJson"/> writes for the same
/// <see cref="AudioMessage"/> (a test holds them equal), so the two can be used interchangeably.
/// </summary>
public static class AudioFrameJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // As ServerMessageJson: base64 '+' and non-ASCII text unescaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    // One writer per thread, reset for each frame: the frame is written synchronously, so no await can move it to
    // another thread half-way. The buffer keeps the size of the largest frame written on that thread (a few hundred
    // KB), which saves growing it again for every sentence.
    private const int MaxKeptBufferBytes = 1024 * 1024;
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static byte[] Serialize(ReadOnlySpan<byte> wav, IReadOnlyList<double> volumes, int sliceLength,
        DisplayTextPayload? displayText, ActionsPayload? actions, bool forwarded)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256 * 1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);

        writer.WriteStartObject();
        writer.WriteString("type"u8, "audio"u8);
        writer.WriteBase64String("audio"u8, wav);
        writer.WriteStartArray("volumes"u8);
        for (var i = 0; i < volumes.Count; i++)
        {
            writer.WriteNumberValue(volumes[i]);
        }
        writer.WriteEndArray();
        writer.WriteNumber("slice_length"u8, sliceLength);
        if (displayText is null)
        {
            writer.WriteNull("display_text"u8);
        }
        else
        {
            writer.WriteStartObject("display_text"u8);
            writer.WriteString("text"u8, displayText.Text);
            writer.WriteString("name"u8, displayText.Name);
            writer.WriteString("avatar"u8, displayText.Avatar);
            writer.WriteEndObject();
        }
        if (actions is null)
        {
            writer.WriteNull("actions"u8);
        }
        else
        {
            writer.WriteStartObject("actions"u8);
            if (actions.Expressions is { } expressions)
            {
                writer.WritePropertyName("expressions"u8);
                expressions.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        writer.WriteBoolean("forwarded"u8, forwarded);
        writer.WriteEndObject();
        writer.Flush();

        var frame = GC.AllocateUninitializedArray<byte>(buffer.WrittenCount);
        buffer.WrittenSpan.CopyTo(frame);
        if (buffer.Capacity > MaxKeptBufferBytes)
        {
            // An unusually long sentence: do not keep its buffer alive on this thread for good.
            t_buffer = null;
            t_writer = null;
        }
        return frame;
    }
}
