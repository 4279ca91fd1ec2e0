using System.CommandLine;
using Federated.Engine.Gpt;
using Federated.Engine.Onnx;

namespace Federated.Cli.Commands;

/// <summary>`--onnx FILE` for `fed generate` and `fed eval`: an exported GPT run by ONNX Runtime instead of a checkpoint.</summary>
internal sealed class OnnxModelSource
{
    public Option<string?> Onnx { get; } = new("--onnx")
    {
        Description = "Run an exported ONNX model (fed export --onnx) through ONNX Runtime instead of a checkpoint",
    };

    public void AddTo(Command command) => command.Options.Add(Onnx);

    /// <summary>Opens and checks the model; on failure writes the reason (naming the file) and returns null.</summary>
    public static OnnxGptModel? Open(string path)
    {
        try
        {
            var model = OnnxGptModel.Open(path);
            if (model.Config.Vocab != GptConfig.ByteVocab)
            {
                model.Dispose();
                Console.Error.WriteLine($"error: {path}: vocab {model.Config.Vocab}, but fed's tokens are bytes (vocab {GptConfig.ByteVocab})");
                return null;
            }
            return model;
        }
        catch (OnnxModelException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return null;
        }
    }
}
