using System.Text;
using Federated.Randomness;

namespace Federated.Coordinator.Data;

/// <summary>
/// The corpus the product ships: English-like text generated from a small seeded grammar, so a clean clone
/// can train and demo with no download. It has real structure to learn (spelling, word order, punctuation)
/// and its bytes depend only on the size asked for.
/// </summary>
public static class BuiltinCorpus
{
    public const int DefaultBytes = 400_000;
    private const ulong Seed = 0x5EED_F00D_CAFE_0001UL;

    private static readonly string[] Subjects =
    [
        "the farmer", "a young scholar", "the old sailor", "my neighbour", "the council", "a quiet child",
        "the merchant", "the river", "our teacher", "the king", "a stranger", "the baker", "the miller",
        "the weaver", "the north wind", "every student", "the guard", "her brother", "the queen", "the doctor",
    ];

    private static readonly string[] Verbs =
    [
        "carried", "found", "watched", "remembered", "painted", "mended", "followed", "praised", "opened",
        "counted", "gathered", "sold", "wrote", "heard", "built", "crossed", "planted", "named", "kept", "lost",
    ];

    private static readonly string[] Objects =
    [
        "the lantern", "a letter", "the bridge", "seven apples", "the garden gate", "an old map", "the harvest",
        "a silver coin", "the long road", "the broken wheel", "a small boat", "the evening bread", "the ledger",
        "the morning bell", "a wooden chair", "the tall tower", "her green coat", "the winter stores",
    ];

    private static readonly string[] Places =
    [
        "by the river", "in the market", "at dawn", "before the storm", "near the mill", "after supper",
        "on the hill", "in the library", "at the harbour", "under the oak", "during the fair", "in the rain",
    ];

    private static readonly string[] Joins = ["and then", "because", "while", "so", "but", "although"];

    private static readonly string[] Remarks =
    [
        "\"It is late,\" said the guard.", "\"Count them again,\" said the merchant.",
        "Nobody spoke for a long time.", "The bells rang twice.", "It was the third day of spring.",
        "\"We shall see,\" said the queen.", "The fire burned low.", "Then everyone went home.",
    ];

    public static byte[] Generate(int bytes = DefaultBytes)
    {
        if (bytes <= 0) throw new ArgumentOutOfRangeException(nameof(bytes), "corpus size must be positive");
        var rng = new SplitMix64(Seed);
        var text = new StringBuilder(bytes + 256);
        while (text.Length < bytes)
        {
            var sentences = 2 + rng.NextInt(4);
            for (var s = 0; s < sentences; s++)
            {
                text.Append(Sentence(ref rng)).Append(' ');
            }
            if (rng.NextInt(3) == 0) text.Append(Pick(ref rng, Remarks)).Append(' ');
            text.Length--;
            text.Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString(0, bytes));
    }

    private static string Sentence(ref SplitMix64 rng)
    {
        var clause = Clause(ref rng);
        if (rng.NextInt(3) == 0) clause += $" {Pick(ref rng, Joins)} {Clause(ref rng)}";
        return char.ToUpperInvariant(clause[0]) + clause[1..] + (rng.NextInt(8) == 0 ? "!" : ".");
    }

    private static string Clause(ref SplitMix64 rng) =>
        $"{Pick(ref rng, Subjects)} {Pick(ref rng, Verbs)} {Pick(ref rng, Objects)} {Pick(ref rng, Places)}";

    private static string Pick(ref SplitMix64 rng, string[] words) => words[rng.NextInt(words.Length)];
}
