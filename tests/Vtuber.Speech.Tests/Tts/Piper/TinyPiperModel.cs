using System.Text;

namespace Vtuber.Speech.Tests.Tts.Piper;

/// <summary>
/// Writes a tiny ONNX model (protobuf, by hand) with a Piper voice's inputs and output, so loading and inference
/// run for real without a downloadable voice: input int64[1,N], input_lengths int64[1], scales float[3] and
/// optionally sid int64[1] → output float[1,1,1,N] = (input × scales[1] + sid) / 1000. Every input that matters
/// shows in the samples: the phoneme ids, the length scale and the speaker.
/// </summary>
internal static class TinyPiperModel
{
    private const int Float = 1;
    private const int Int64 = 7;

    public static void Write(string path, bool withSpeakerId)
    {
        var nodes = new List<byte[]>
        {
            Node("Cast", ["input"], ["ids_f"], Attribute("to", Float)),
            Node("Gather", ["scales", "one"], ["length_scale"]),
            Node("Mul", ["ids_f", "length_scale"], ["scaled"]),
        };
        var last = "scaled";
        if (withSpeakerId)
        {
            nodes.Add(Node("Cast", ["sid"], ["sid_f"], Attribute("to", Float)));
            nodes.Add(Node("Add", ["scaled", "sid_f"], ["voiced"]));
            last = "voiced";
        }
        nodes.Add(Node("Div", [last, "thousand"], ["small"]));
        nodes.Add(Node("Reshape", ["small", "shape"], ["output"]));

        var graph = new Proto();
        foreach (var node in nodes) graph.Message(1, node);
        graph.String(2, "tiny_piper");
        graph.Message(5, Tensor("one", Int64, [], BitConverter.GetBytes(1L)));
        graph.Message(5, Tensor("thousand", Float, [], BitConverter.GetBytes(1000f)));
        graph.Message(5, Tensor("shape", Int64, [4],
            [.. BitConverter.GetBytes(1L), .. BitConverter.GetBytes(1L), .. BitConverter.GetBytes(1L), .. BitConverter.GetBytes(-1L)]));
        graph.Message(11, ValueInfo("input", Int64, [1, "phonemes"]));
        graph.Message(11, ValueInfo("input_lengths", Int64, [1]));
        graph.Message(11, ValueInfo("scales", Float, [3]));
        if (withSpeakerId) graph.Message(11, ValueInfo("sid", Int64, [1]));
        graph.Message(12, ValueInfo("output", Float, [1, 1, 1, "time"]));

        var opset = new Proto();
        opset.String(1, "");
        opset.Varint(2, 13);
        var model = new Proto();
        model.Varint(1, 8); // IR version 8
        model.String(2, "vtuber-tests");
        model.Message(7, graph.ToArray());
        model.Message(8, opset.ToArray());
        File.WriteAllBytes(path, model.ToArray());
    }

    private static byte[] Node(string op, string[] inputs, string[] outputs, byte[]? attribute = null)
    {
        var node = new Proto();
        foreach (var input in inputs) node.String(1, input);
        foreach (var output in outputs) node.String(2, output);
        node.String(4, op);
        if (attribute is not null) node.Message(5, attribute);
        return node.ToArray();
    }

    private static byte[] Attribute(string name, long value)
    {
        var attribute = new Proto();
        attribute.String(1, name);
        attribute.Varint(3, value);
        attribute.Varint(20, 2); // AttributeType.INT
        return attribute.ToArray();
    }

    private static byte[] Tensor(string name, int dataType, long[] dims, byte[] raw)
    {
        var tensor = new Proto();
        foreach (var dim in dims) tensor.Varint(1, dim);
        tensor.Varint(2, dataType);
        tensor.String(8, name);
        tensor.Bytes(9, raw);
        return tensor.ToArray();
    }

    private static byte[] ValueInfo(string name, int elementType, object[] dims)
    {
        var shape = new Proto();
        foreach (var dim in dims)
        {
            var dimension = new Proto();
            if (dim is string symbol) dimension.String(2, symbol);
            else dimension.Varint(1, Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture));
            shape.Message(1, dimension.ToArray());
        }
        var tensorType = new Proto();
        tensorType.Varint(1, elementType);
        tensorType.Message(2, shape.ToArray());
        var type = new Proto();
        type.Message(1, tensorType.ToArray());
        var info = new Proto();
        info.String(1, name);
        info.Message(2, type.ToArray());
        return info.ToArray();
    }

    /// <summary>The protobuf wire format: varint (type 0) and length-delimited (type 2) fields.</summary>
    private sealed class Proto
    {
        private readonly List<byte> _bytes = [];

        public void Varint(int field, long value)
        {
            WriteVarint((ulong)(field << 3));
            WriteVarint((ulong)value);
        }

        public void Bytes(int field, byte[] value)
        {
            WriteVarint((ulong)(field << 3 | 2));
            WriteVarint((ulong)value.Length);
            _bytes.AddRange(value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, byte[] message) => Bytes(field, message);

        public byte[] ToArray() => _bytes.ToArray();

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.Add((byte)value);
        }
    }
}
