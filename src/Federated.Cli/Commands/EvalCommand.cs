using System.CommandLine;
using System.Globalization;
using Federated.Engine;
using Federated.Engine.Gpt;
using Federated.Engine.Onnx;
using Federated.Engine.Tokens;

namespace Federated.Cli.Commands;

/// <summary>
/// `fed eval`: held-out loss and perplexity of a GPT on a text file, from a checkpoint (the engine) or an
/// exported ONNX model (ONNX Runtime). Both score the same windows, so the two numbers can be compared.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var source = new CheckpointSource();
        var onnx = new OnnxModelSource();
        var data = new Option<string>("--data") { Description = "Held-out text file (its bytes are the tokens)", Required = true };
        var maxTokens = new Option<int>("--max-tokens", "-n") { Description = "Score at most this many target tokens (0 = all)", DefaultValueFactory = _ => 0 };
        var command = new Command("eval", "Held-out loss and perplexity of a GPT checkpoint or an exported ONNX model on a text file") { data, maxTokens };
        source.AddTo(command);
        onnx.AddTo(command);
        command.SetAction(parse =>
        {
            var dataPath = parse.GetValue(data)!;
            int max = parse.GetValue(maxTokens);
            if (max < 0)
            {
                Console.Error.WriteLine($"error: --max-tokens must be >= 0, got {max}");
                return ExitCodes.BadInput;
            }
            if (!File.Exists(dataPath))
            {
                Console.Error.WriteLine($"error: data file {dataPath} does not exist");
                return ExitCodes.BadInput;
            }
            var tokens = ByteTokenizer.Encode(File.ReadAllBytes(dataPath));
            if (tokens.Length < 2)
            {
                Console.Error.WriteLine($"error: data file {dataPath} has {tokens.Length} bytes; scoring needs at least 2");
                return ExitCodes.BadInput;
            }
            float loss;
            string model;
            if (parse.GetValue(onnx.Onnx) is { } onnxPath)
            {
                if (parse.GetValue(source.Checkpoint) is not null)
                {
                    Console.Error.WriteLine("error: give --checkpoint or --onnx, not both");
                    return ExitCodes.BadInput;
                }
                using var exported = OnnxModelSource.Open(onnxPath);
                if (exported is null) return ExitCodes.BadInput;
                try
                {
                    loss = exported.Evaluate(tokens, max);
                }
                catch (OnnxModelException e)   // the graph failed on a longer window than the one Open tried
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    return ExitCodes.BadInput;
                }
                model = $"{onnxPath} ({exported.Config}, ONNX Runtime)";
            }
            else
            {
                if (source.Load(parse) is not { } checkpoint) return ExitCodes.BadInput;
                if (checkpoint.Config.Vocab != GptConfig.ByteVocab)
                {
                    Console.Error.WriteLine($"error: {checkpoint.Path}: vocab {checkpoint.Config.Vocab}, but fed's tokens are bytes (vocab {GptConfig.ByteVocab})");
                    return ExitCodes.BadInput;
                }
                loss = new GptModel(checkpoint.Config).Evaluate(checkpoint.Parameters, tokens, new EvaluateOptions(max));
                model = $"{checkpoint.Path} ({checkpoint.Config}, engine)";
            }
            long scored = Math.Min(tokens.Length - 1, max > 0 ? max : long.MaxValue);
            var c = CultureInfo.InvariantCulture;
            Console.Error.WriteLine($"model {model}, {scored} target tokens of {dataPath}");
            Console.Out.WriteLine(string.Create(c, $"loss {loss:F6} nats/token, perplexity {Math.Exp(loss):F4}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
