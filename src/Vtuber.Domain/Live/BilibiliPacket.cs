using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Vtuber.Domain.Live;

/// <summary>One packet of Bilibili's danmaku WebSocket protocol, its body still as sent (or as decompressed).</summary>
public sealed record BilibiliPacket(int Version, int Operation, int Sequence, byte[] Body);

/// <summary>What one WebSocket message held: its packets in order, and what could not be read (skipped).</summary>
public sealed record BilibiliMessage(IReadOnlyList<BilibiliPacket> Packets, IReadOnlyList<string> Problems);

/// <summary>
/// The danmaku protocol's framing (as blivedm speaks it): every packet has a 16-byte big-endian header — total length
/// (uint32), header length (uint16, 16), protocol version (uint16), operation (uint32), sequence (uint32) — then its
/// body. Version 0 is a JSON body, 1 a binary one (heartbeat reply, auth), 2 a zlib and 3 a brotli body that holds
/// more packets. One WebSocket message may carry several packets back to back.
/// </summary>
public static class BilibiliPacketCodec
{
    public const int HeaderLength = 16;

    public const int VersionJson = 0;
    public const int VersionBinary = 1;
    public const int VersionZlib = 2;
    public const int VersionBrotli = 3;

    public const int OperationHeartbeat = 2;
    public const int OperationHeartbeatReply = 3;
    public const int OperationCommand = 5;
    public const int OperationAuth = 7;
    public const int OperationAuthReply = 8;

    /// <summary>
    /// The most a compressed body may expand to: the server's batches are a few KiB; a body past this is refused
    /// rather than decompressed into memory without bound.
    /// </summary>
    public const int MaxDecompressedBytes = 4 * 1024 * 1024;

    public static byte[] Encode(int operation, ReadOnlySpan<byte> body, int version = VersionBinary, int sequence = 1)
    {
        var packet = new byte[HeaderLength + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(packet, packet.Length);
        BinaryPrimitives.WriteInt16BigEndian(packet.AsSpan(4), HeaderLength);
        BinaryPrimitives.WriteInt16BigEndian(packet.AsSpan(6), (short)version);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), operation);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), sequence);
        body.CopyTo(packet.AsSpan(HeaderLength));
        return packet;
    }

    /// <summary>
    /// The first packet a client sends: which room, with the token from getDanmuInfo; protover 3 asks for brotli
    /// bodies, type 2 and platform web are what the web player sends.
    /// </summary>
    public static byte[] Auth(long roomId, string token, long uid = 0, string buvid = "")
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["uid"] = uid, ["roomid"] = roomId, ["protover"] = 3, ["buvid"] = buvid, ["platform"] = "web",
            ["type"] = 2, ["key"] = token,
        });
        return Encode(OperationAuth, body);
    }

    /// <summary>The heartbeat; its body is the web player's, which the server ignores.</summary>
    public static byte[] Heartbeat() => Encode(OperationHeartbeat, "[object Object]"u8);

    /// <summary>
    /// Every packet of one WebSocket message, compressed ones opened. A header that does not fit ends the message
    /// (nothing after it can be framed); a body that does not decompress is skipped and the next packet read.
    /// </summary>
    public static BilibiliMessage Decode(ReadOnlySpan<byte> message)
    {
        var packets = new List<BilibiliPacket>();
        var problems = new List<string>();
        Decode(message, packets, problems, depth: 0);
        return new BilibiliMessage(packets, problems);
    }

    private static void Decode(ReadOnlySpan<byte> data, List<BilibiliPacket> packets, List<string> problems, int depth)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var rest = data[offset..];
            if (rest.Length < HeaderLength)
            {
                problems.Add($"{rest.Length} bytes left, less than a {HeaderLength}-byte packet header");
                return;
            }
            var length = BinaryPrimitives.ReadInt32BigEndian(rest);
            var headerLength = BinaryPrimitives.ReadUInt16BigEndian(rest[4..]);
            if (headerLength < HeaderLength || length < headerLength || length > rest.Length)
            {
                problems.Add($"a packet header of length {length} (header {headerLength}) with {rest.Length} bytes left");
                return;
            }
            var version = BinaryPrimitives.ReadUInt16BigEndian(rest[6..]);
            var operation = BinaryPrimitives.ReadInt32BigEndian(rest[8..]);
            var sequence = BinaryPrimitives.ReadInt32BigEndian(rest[12..]);
            var body = rest[headerLength..length];
            offset += length;

            if (version is VersionZlib or VersionBrotli)
            {
                // The server wraps whole packets in one compressed body, never a compressed body in another.
                if (depth > 0)
                {
                    problems.Add("a compressed packet inside a compressed packet");
                    continue;
                }
                if (Decompress(body, version) is { } inner)
                    Decode(inner, packets, problems, depth + 1);
                else
                    problems.Add($"a {(version == VersionZlib ? "zlib" : "brotli")} body of {body.Length} bytes that does " +
                                 $"not decompress (or exceeds {MaxDecompressedBytes} bytes)");
                continue;
            }
            packets.Add(new BilibiliPacket(version, operation, sequence, body.ToArray()));
        }
    }

    private static byte[]? Decompress(ReadOnlySpan<byte> body, int version)
    {
        try
        {
            using var input = new MemoryStream(body.ToArray());
            using Stream decompressor = version == VersionZlib
                ? new ZLibStream(input, CompressionMode.Decompress)
                : new BrotliStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = decompressor.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxDecompressedBytes) return null;
                output.Write(buffer, 0, read);
            }
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The server's answer to the auth packet: {"code":0} when the room accepted it.</summary>
    public static int? AuthReplyCode(BilibiliPacket packet)
    {
        try
        {
            using var json = JsonDocument.Parse(packet.Body);
            return json.RootElement.TryGetProperty("code", out var code) && code.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A viewer's chat comment (danmaku) from a DANMU_MSG command.</summary>
public sealed record Danmaku(string Author, string Text);

/// <summary>The command packets (operation 5): a JSON object whose cmd names it; only DANMU_MSG is read.</summary>
public static class BilibiliCommand
{
    /// <summary>
    /// A danmaku, null for any other command (gifts, entries, popularity: ignored), or a problem when the body is not
    /// a command or a DANMU_MSG lacks its fields. DANMU_MSG: info[1] is the text, info[2][1] the viewer's name; the
    /// cmd may carry a suffix ("DANMU_MSG:4:0:2:2:2:0").
    /// </summary>
    public static (Danmaku? Danmaku, string? Problem) Read(ReadOnlySpan<byte> body)
    {
        try
        {
            using var json = JsonDocument.Parse(body.ToArray());
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("cmd", out var cmd) ||
                cmd.ValueKind != JsonValueKind.String)
                return (null, "a command without a cmd");
            var name = cmd.GetString()!;
            var colon = name.IndexOf(':');
            if ((colon < 0 ? name : name[..colon]) != "DANMU_MSG") return (null, null);
            if (root.TryGetProperty("info", out var info) && info.ValueKind == JsonValueKind.Array && info.GetArrayLength() > 2 &&
                info[1].ValueKind == JsonValueKind.String && info[2].ValueKind == JsonValueKind.Array &&
                info[2].GetArrayLength() > 1 && info[2][1].ValueKind == JsonValueKind.String)
                return (new Danmaku(info[2][1].GetString()!, info[1].GetString()!), null);
            return (null, "a DANMU_MSG without info[1] (text) and info[2][1] (name)");
        }
        catch (JsonException e)
        {
            return (null, $"a command body that is not JSON ({e.Message})");
        }
    }

    /// <summary>Short enough for a log line.</summary>
    public static string Preview(ReadOnlySpan<byte> body) =>
        Encoding.UTF8.GetString(body[..Math.Min(body.Length, 80)]);
}
