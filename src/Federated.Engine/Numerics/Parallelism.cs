namespace Federated.Engine.Numerics;

/// <summary>
/// Runs independent work items on up to <c>threads</c> cores. Work is always split by the data shape, never
/// by the thread count, and each output element belongs to exactly one item, so results are bit-identical
/// for any thread count.
/// </summary>
internal static class Parallelism
{
    public static void For(int count, int threads, Action<int> body)
    {
        if (threads <= 1 || count <= 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }

    /// <summary>Splits [0, n) into ceil(n / chunk) ranges; the chunk depends only on the sizes.</summary>
    public static void ForChunks(int n, int chunk, int threads, Action<int, int> body)
    {
        int count = (n + chunk - 1) / chunk;
        For(count, threads, i => body(i * chunk, Math.Min(n, (i + 1) * chunk)));
    }
}
