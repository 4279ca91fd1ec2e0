using System.CommandLine;
using System.Text;
using Federated.Engine.Gpt;
using Federated.Engine.Onnx;
using Federated.Engine.Tokens;

namespace Federated.Cli.Commands;

/// <summary>`fed generate`: sample text from a trained GPT; the same checkpoint, prompt and seed give the same text.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var source = new CheckpointSource();
        var onnx = new OnnxModelSource();
        var prompt = new Option<string>("--prompt", "-p") { Description = "Text to continue (UTF-8 bytes are the tokens)", DefaultValueFactory = _ => "\n" };
        var tokens = new Option<int>("--max-tokens", "-n") { Description = "Tokens (bytes) to generate", DefaultValueFactory = _ => 200 };
        var temperature = new Option<float>("--temperature", "-t") { Description = "Sampling temperature; 0 = always the most likely byte", DefaultValueFactory = _ => 0.8f };
        var topK = new Option<int>("--top-k", "-k") { Description = "Sample among the k most likely bytes only (0 = all)", DefaultValueFactory = _ => 40 };
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 1 };
        var command = new Command("generate", "Generate text from a trained GPT checkpoint or an exported ONNX model") { prompt, tokens, temperature, topK, seed };
        source.AddTo(command);
        onnx.AddTo(command);
        command.SetAction(parse =>
        {
            var options = new SamplingOptions(parse.GetValue(tokens), parse.GetValue(temperature), parse.GetValue(topK), parse.GetValue(seed));
            var text = parse.GetValue(prompt) ?? "";
            string? problem = options switch
            {
                { MaxNewTokens: < 0 or > 100_000 } => $"--max-tokens must be between 0 and 100000, got {options.MaxNewTokens}",
                { Temperature: < 0 } or { Temperature: float.NaN or float.PositiveInfinity } => $"--temperature must be finite and >= 0, got {options.Temperature}",
                { TopK: < 0 } => $"--top-k must be >= 0, got {options.TopK}",
                _ => text.Length == 0 ? "--prompt must not be empty" : null,
            };
            if (problem is not null)
            {
                Console.Error.WriteLine($"error: {problem}");
                return ExitCodes.BadInput;
            }
            int[] generated;
            if (parse.GetValue(onnx.Onnx) is { } onnxPath)
            {
                if (parse.GetValue(source.Checkpoint) is not null)
                {
                    Console.Error.WriteLine("error: give --checkpoint or --onnx, not both");
                    return ExitCodes.BadInput;
                }
                using var exported = OnnxModelSource.Open(onnxPath);
                if (exported is null) return ExitCodes.BadInput;
                // the engine's own sampling loop, fed by ONNX Runtime's logits: same logits and seed, same text
                try
                {
                    generated = GptSampler.Generate(exported.Config.Context, exported.Config.Vocab, ByteTokenizer.Encode(text), options, exported.NextTokenLogits);
                }
                catch (OnnxModelException e)   // the graph failed on a later window than the one Open tried
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    return ExitCodes.BadInput;
                }
            }
            else
            {
                if (source.Load(parse) is not { } model) return ExitCodes.BadInput;
                generated = GptSampler.Generate(model.Config, model.Parameters, ByteTokenizer.Encode(text), options);
            }
            var stdout = Console.OpenStandardOutput();
            stdout.Write(Encoding.UTF8.GetBytes(text));
            stdout.Write(ByteTokenizer.Decode(generated));
            stdout.Write("\n"u8);
            stdout.Flush();
            return ExitCodes.Ok;
        });
        return command;
    }
}
