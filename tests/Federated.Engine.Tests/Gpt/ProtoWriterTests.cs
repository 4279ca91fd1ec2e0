using Federated.Engine.Gpt.Onnx;

namespace Federated.Engine.Tests.Gpt;

public class ProtoWriterTests
{
    [Fact]
    public void Varints_use_seven_bit_groups_low_first()
    {
        // protobuf's documented example: field 1, varint 150 -> 08 96 01
        Assert.Equal(new byte[] { 0x08, 0x96, 0x01 }, new ProtoWriter().Int64(1, 150).ToArray());
    }

    [Fact]
    public void Strings_are_length_delimited()
    {
        // field 2, "testing" -> 12 07 74 65 73 74 69 6e 67
        Assert.Equal(Convert.FromHexString("120774657374696e67"), new ProtoWriter().String(2, "testing").ToArray());
    }

    [Fact]
    public void Floats_are_fixed32_little_endian()
    {
        Assert.Equal(new byte[] { 0x15, 0x00, 0x00, 0x80, 0x3f }, new ProtoWriter().Float(2, 1f).ToArray());
    }
}
