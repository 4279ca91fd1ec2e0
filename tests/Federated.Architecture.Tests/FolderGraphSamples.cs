// Two folders that use each other, and a third that only uses one of them: what FolderGraph must find. Never run.
namespace Federated.Architecture.Tests.Samples.Upper
{
    internal static class Caller
    {
        public static int Call() => Lower.Callee.Value + 1;
    }
}

namespace Federated.Architecture.Tests.Samples.Lower
{
    internal static class Callee
    {
        public static int Value => 1;

        // Uses the folder above only inside a lambda: the graph must count compiler-generated code too.
        public static Func<int> Later() => () => Upper.Caller.Call();
    }

    internal sealed record Item(int Value);
}

namespace Federated.Architecture.Tests.Samples.Apart
{
    internal sealed class Holder
    {
        public Lower.Item[]? Held { get; init; }
    }
}
