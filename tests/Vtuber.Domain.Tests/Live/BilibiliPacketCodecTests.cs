using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Vtuber.Domain.Live;

namespace Vtuber.Domain.Tests.Live;

public sealed class BilibiliPacketCodecTests
{
    private static byte[] Danmu(string name, string text, string cmd = "DANMU_MSG") =>
        BilibiliPacketCodec.Encode(BilibiliPacketCodec.OperationCommand, Encoding.UTF8.GetBytes(
            new JsonObject
            {
                ["cmd"] = cmd,
                ["info"] = new JsonArray(new JsonArray(0, 1, 25, 16777215), text, new JsonArray(12345, name, 0, 0)),
            }.ToJsonString()), BilibiliPacketCodec.VersionJson);

    private static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Fastest)) z.Write(data);
        return output.ToArray();
    }

    private static byte[] Brotli(byte[] data)
    {
        using var output = new MemoryStream();
        using (var b = new BrotliStream(output, CompressionLevel.Fastest)) b.Write(data);
        return output.ToArray();
    }

    [Fact]
    public void The_header_is_sixteen_big_endian_bytes_before_the_body()
    {
        var packet = BilibiliPacketCodec.Heartbeat();

        Assert.Equal(16 + 15, packet.Length);
        Assert.Equal([0, 0, 0, 31, 0, 16, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1], packet[..16]);
        Assert.Equal("[object Object]", Encoding.ASCII.GetString(packet, 16, 15));
    }

    [Fact]
    public void The_auth_packet_names_the_room_token_and_brotli_protocol()
    {
        var packet = BilibiliPacketCodec.Decode(BilibiliPacketCodec.Auth(21452505, "tok")).Packets.Single();

        Assert.Equal((BilibiliPacketCodec.OperationAuth, BilibiliPacketCodec.VersionBinary), (packet.Operation, packet.Version));
        var body = JsonNode.Parse(packet.Body)!;
        Assert.Equal((21452505L, "tok", 3, 2, "web"), ((long)body["roomid"]!, (string?)body["key"], (int)body["protover"]!,
            (int)body["type"]!, (string?)body["platform"]));
    }

    [Fact]
    public void Packets_back_to_back_and_inside_zlib_and_brotli_bodies_are_all_read_in_order()
    {
        var inner = Danmu("alice", "hello").Concat(Danmu("bob", "hi", "DANMU_MSG:4:0:2:2:2:0")).ToArray();
        var message = BilibiliPacketCodec.Encode(BilibiliPacketCodec.OperationCommand, Zlib(inner), BilibiliPacketCodec.VersionZlib)
            .Concat(BilibiliPacketCodec.Encode(BilibiliPacketCodec.OperationCommand, Brotli(Danmu("carol", "你好")),
                BilibiliPacketCodec.VersionBrotli))
            .Concat(Danmu("dave", "plain"))
            .ToArray();

        var decoded = BilibiliPacketCodec.Decode(message);

        Assert.Empty(decoded.Problems);
        Assert.Equal([new Danmaku("alice", "hello"), new Danmaku("bob", "hi"), new Danmaku("carol", "你好"), new Danmaku("dave", "plain")],
            decoded.Packets.Select(p => BilibiliCommand.Read(p.Body).Danmaku));
    }

    [Fact]
    public void A_body_that_does_not_decompress_is_skipped_and_the_next_packet_read()
    {
        var message = BilibiliPacketCodec.Encode(BilibiliPacketCodec.OperationCommand, [1, 2, 3, 4, 5], BilibiliPacketCodec.VersionZlib)
            .Concat(Danmu("erin", "after")).ToArray();

        var decoded = BilibiliPacketCodec.Decode(message);

        Assert.Contains("zlib", Assert.Single(decoded.Problems));
        Assert.Equal(new Danmaku("erin", "after"), BilibiliCommand.Read(decoded.Packets.Single().Body).Danmaku);
    }

    [Fact]
    public void A_header_that_does_not_fit_ends_the_message_with_a_problem()
    {
        var good = Danmu("frank", "first");
        var lying = BilibiliPacketCodec.Encode(BilibiliPacketCodec.OperationCommand, "{}"u8);
        BinaryPrimitives.WriteInt32BigEndian(lying, 9999);

        var decoded = BilibiliPacketCodec.Decode(good.Concat(lying).ToArray());

        Assert.Single(decoded.Packets);
        Assert.Contains("length 9999", Assert.Single(decoded.Problems));
        Assert.Contains("less than", Assert.Single(BilibiliPacketCodec.Decode([0, 0, 0, 16, 0]).Problems));
    }

    [Fact]
    public void A_zip_bomb_is_refused_instead_of_expanded()
    {
        var bomb = Zlib(new byte[BilibiliPacketCodec.MaxDecompressedBytes + 1]);

        var decoded = BilibiliPacketCodec.Decode(
            BilibiliPacketCodec.Encode(BilibiliPacketCodec.OperationCommand, bomb, BilibiliPacketCodec.VersionZlib));

        Assert.Empty(decoded.Packets);
        Assert.Contains("exceeds", Assert.Single(decoded.Problems));
    }

    [Theory]
    [InlineData("""{"cmd":"SEND_GIFT","data":{}}""", null)]
    [InlineData("""{"cmd":"DANMU_MSG","info":[[0],"text"]}""", "info[2][1]")]
    [InlineData("""{"data":1}""", "without a cmd")]
    [InlineData("""not json""", "not JSON")]
    public void Other_commands_are_ignored_and_broken_ones_named(string body, string? problem)
    {
        var (danmaku, found) = BilibiliCommand.Read(Encoding.UTF8.GetBytes(body));

        Assert.Null(danmaku);
        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found);
    }

    [Fact]
    public void The_auth_reply_code_is_read()
    {
        var reply = new BilibiliPacket(1, BilibiliPacketCodec.OperationAuthReply, 1, """{"code":-101}"""u8.ToArray());

        Assert.Equal(-101, BilibiliPacketCodec.AuthReplyCode(reply));
    }
}
