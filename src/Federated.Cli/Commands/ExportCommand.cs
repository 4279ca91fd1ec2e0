using System.CommandLine;
using Federated.Engine.Checkpoints;
using Federated.Engine.Gpt.Onnx;

namespace Federated.Cli.Commands;

/// <summary>`fed export`: a trained GPT as an ONNX model (input ids -> logits) and/or a safetensors checkpoint.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var source = new CheckpointSource();
        var onnx = new Option<string?>("--onnx") { Description = $"Write an ONNX model (opset {GptOnnxExporter.Opset}): input_ids (batch, sequence) int64 -> logits (batch, sequence, vocab) float" };
        var safetensors = new Option<string?>("--safetensors") { Description = "Write the weights as safetensors with PyTorch tensor names" };
        var command = new Command("export", "Export a trained GPT to ONNX and/or safetensors") { onnx, safetensors };
        source.AddTo(command);
        command.SetAction(parse =>
        {
            var onnxPath = parse.GetValue(onnx);
            var safetensorsPath = parse.GetValue(safetensors);
            if (onnxPath is null && safetensorsPath is null)
            {
                Console.Error.WriteLine("error: nothing to export; give --onnx <file> and/or --safetensors <file>");
                return ExitCodes.BadInput;
            }
            if (source.Load(parse) is not { } model) return ExitCodes.BadInput;
            Console.Error.WriteLine($"model {model.Config} from {model.Path}");
            try
            {
                if (onnxPath is not null)
                {
                    GptOnnxExporter.Export(onnxPath, model.Config, model.Parameters);
                    Console.Out.WriteLine($"wrote {onnxPath} ({new FileInfo(onnxPath).Length:N0} bytes, ONNX opset {GptOnnxExporter.Opset})");
                }
                if (safetensorsPath is not null)
                {
                    GptCheckpoint.Save(safetensorsPath, model.Config, model.Parameters);
                    Console.Out.WriteLine($"wrote {safetensorsPath} ({new FileInfo(safetensorsPath).Length:N0} bytes, safetensors)");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: cannot write the export: {e.Message}");
                return ExitCodes.Failed;
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
