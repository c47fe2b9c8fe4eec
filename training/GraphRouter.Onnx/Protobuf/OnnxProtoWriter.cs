using Google.Protobuf;

namespace GraphRouter.Onnx.Protobuf;

/// <summary>
/// Serializes the builder's graph as an ONNX <c>ModelProto</c> on the protobuf wire format. Only the messages
/// and fields the builder needs are written; field numbers follow onnx.proto. Fields are written in a fixed
/// order and repeated fields in insertion order, so the same graph always gives the same bytes.
/// </summary>
/// <remarks>
/// Written by hand rather than generated from onnx.proto (Debian's libonnx-dev) with Grpc.Tools: the build
/// stays hermetic (no system package, no protoc at build time), the writer needs only a dozen messages and
/// only the write side, and the byte layout is fully under our control.
/// </remarks>
internal static class OnnxProtoWriter
{
    // ModelProto
    private const int ModelIrVersion = 1;
    private const int ModelProducerName = 2;
    private const int ModelProducerVersion = 3;
    private const int ModelGraph = 7;
    private const int ModelOpsetImport = 8;

    // OperatorSetIdProto
    private const int OpsetDomain = 1;
    private const int OpsetVersion = 2;

    // GraphProto
    private const int GraphNode = 1;
    private const int GraphName = 2;
    private const int GraphInitializer = 5;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;

    // NodeProto
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;

    // AttributeProto
    private const int AttributeName = 1;
    private const int AttributeF = 2;
    private const int AttributeI = 3;
    private const int AttributeS = 4;
    private const int AttributeFloats = 7;
    private const int AttributeInts = 8;
    private const int AttributeType = 20;

    // TensorProto
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorName = 8;
    private const int TensorRawData = 9;

    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private const int ValueInfoName = 1;
    private const int ValueInfoType = 2;
    private const int TypeTensorType = 1;
    private const int TensorTypeElemType = 1;
    private const int TensorTypeShape = 2;
    private const int ShapeDim = 1;
    private const int DimValue = 1;
    private const int DimParam = 2;

    public static byte[] WriteModel(
        long irVersion,
        long opsetVersion,
        string producerName,
        string producerVersion,
        string graphName,
        IReadOnlyList<NodeDefinition> nodes,
        IReadOnlyList<TensorDefinition> initializers,
        IReadOnlyList<ValueInfoDefinition> inputs,
        IReadOnlyList<ValueInfoDefinition> outputs)
    {
        var graph = Message(o =>
        {
            foreach (var node in nodes)
            {
                WriteMessage(o, GraphNode, Node(node));
            }

            WriteString(o, GraphName, graphName);
            foreach (var tensor in initializers)
            {
                WriteMessage(o, GraphInitializer, Tensor(tensor));
            }

            foreach (var input in inputs)
            {
                WriteMessage(o, GraphInput, ValueInfo(input));
            }

            foreach (var output in outputs)
            {
                WriteMessage(o, GraphOutput, ValueInfo(output));
            }
        });

        var opset = Message(o =>
        {
            WriteString(o, OpsetDomain, "");
            WriteInt64(o, OpsetVersion, opsetVersion);
        });

        return Message(o =>
        {
            WriteInt64(o, ModelIrVersion, irVersion);
            WriteString(o, ModelProducerName, producerName);
            WriteString(o, ModelProducerVersion, producerVersion);
            WriteMessage(o, ModelGraph, graph);
            WriteMessage(o, ModelOpsetImport, opset);
        });
    }

    private static byte[] Node(NodeDefinition node) => Message(o =>
    {
        foreach (var input in node.Inputs)
        {
            WriteString(o, NodeInput, input);
        }

        foreach (var output in node.Outputs)
        {
            WriteString(o, NodeOutput, output);
        }

        WriteString(o, NodeName, node.Name);
        WriteString(o, NodeOpType, node.OpType);
        foreach (var attribute in node.Attributes)
        {
            WriteMessage(o, NodeAttribute, Attribute(attribute));
        }
    });

    private static byte[] Attribute(OnnxAttributeValue attribute) => Message(o =>
    {
        WriteString(o, AttributeName, attribute.Name);
        switch (attribute.Kind)
        {
            case OnnxAttributeKind.Float:
                o.WriteTag(AttributeF, WireFormat.WireType.Fixed32);
                o.WriteFloat(attribute.FloatValue);
                break;
            case OnnxAttributeKind.Int:
                WriteInt64(o, AttributeI, attribute.IntValue);
                break;
            case OnnxAttributeKind.String:
                o.WriteTag(AttributeS, WireFormat.WireType.LengthDelimited);
                o.WriteBytes(ByteString.CopyFromUtf8(attribute.StringValue));
                break;
            case OnnxAttributeKind.Floats:
                // onnx.proto is proto2 without [packed=true] here: one tag per element.
                foreach (var value in attribute.FloatValues)
                {
                    o.WriteTag(AttributeFloats, WireFormat.WireType.Fixed32);
                    o.WriteFloat(value);
                }

                break;
            case OnnxAttributeKind.Ints:
                foreach (var value in attribute.IntValues)
                {
                    WriteInt64(o, AttributeInts, value);
                }

                break;
            default:
                throw new InvalidOperationException($"Attribute kind {attribute.Kind} is not supported.");
        }

        WriteInt64(o, AttributeType, (long)attribute.Kind);
    });

    private static byte[] Tensor(TensorDefinition tensor) => Message(o =>
    {
        foreach (var dim in tensor.Dims)
        {
            WriteInt64(o, TensorDims, dim);
        }

        WriteInt64(o, TensorDataType, (long)tensor.ElementType);
        WriteString(o, TensorName, tensor.Name);
        o.WriteTag(TensorRawData, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(tensor.RawData));
    });

    private static byte[] ValueInfo(ValueInfoDefinition value)
    {
        var tensorType = Message(o =>
        {
            WriteInt64(o, TensorTypeElemType, (long)value.ElementType);
            if (value.Shape is { } shape)
            {
                WriteMessage(o, TensorTypeShape, Shape(shape));
            }
        });
        var type = Message(o => WriteMessage(o, TypeTensorType, tensorType));
        return Message(o =>
        {
            WriteString(o, ValueInfoName, value.Name);
            WriteMessage(o, ValueInfoType, type);
        });
    }

    private static byte[] Shape(IReadOnlyList<OnnxDim> shape) => Message(o =>
    {
        foreach (var dim in shape)
        {
            var dimension = Message(d =>
            {
                if (dim.Symbol is { } symbol)
                {
                    WriteString(d, DimParam, symbol);
                }
                else
                {
                    WriteInt64(d, DimValue, dim.Size ?? 0);
                }
            });
            WriteMessage(o, ShapeDim, dimension);
        }
    });

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
            output.Flush();
        }

        return buffer.ToArray();
    }

    private static void WriteMessage(CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(message));
    }

    private static void WriteString(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    private static void WriteInt64(CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }
}
