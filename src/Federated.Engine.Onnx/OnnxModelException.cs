namespace Federated.Engine.Onnx;

/// <summary>An .onnx file that cannot serve as an exported GPT: the message names the file and what is wrong with it.</summary>
public sealed class OnnxModelException(string message, Exception? inner = null) : Exception(message, inner);
