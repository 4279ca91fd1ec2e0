using System.Reflection;
using System.Reflection.Emit;

namespace Federated.Architecture.Tests;

/// <summary>
/// Inside Federated.Engine, folders (one namespace each) depend one way too: numerics at the bottom, the GPT's ops
/// above them, the GPT above its ops, the model factory on top. Each namespace may use only the engine namespaces
/// its row allows. Uses are read from the compiled assembly: signatures (base types, interfaces, fields, parameters,
/// return types) and every type, method and field a method body names in its IL, so a call hidden in a body counts.
/// </summary>
public class EngineFolderDirectionTests
{
    private static readonly Assembly Engine = typeof(Federated.Engine.ILanguageModel).Assembly;

    /// <summary>The engine namespaces each engine namespace may use, bottom layer first. Add to a row on purpose.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        // src/Shared/Randomness, compiled into the engine (and into Federated.Domain): uses nothing of either.
        ["Federated.Randomness"] = [],
        // Fixed-order reductions, the seeded generator, shape-split parallel loops: what every model builds on.
        ["Federated.Engine.Numerics"] = ["Federated.Randomness"],
        ["Federated.Engine.Parameters"] = [],
        ["Federated.Engine.Tokens"] = [],
        // The trainer seam: ILanguageModel, ModelConfig and the option records. It knows no model family.
        ["Federated.Engine"] = [],
        ["Federated.Engine.Gpt.Ops"] = ["Federated.Engine.Numerics"],
        ["Federated.Engine.Gpt"] = ["Federated.Engine", "Federated.Engine.Gpt.Ops", "Federated.Engine.Numerics", "Federated.Engine.Parameters"],
        ["Federated.Engine.Gpt.Onnx"] = ["Federated.Engine", "Federated.Engine.Gpt"],
        ["Federated.Engine.Checkpoints"] = ["Federated.Engine", "Federated.Engine.Gpt", "Federated.Engine.Parameters"],
        // Names every family, so it sits above them all.
        ["Federated.Engine.Models"] = ["Federated.Engine", "Federated.Engine.Gpt"],
    };

    public static TheoryData<string> Namespaces => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Namespaces))]
    public void An_engine_namespace_uses_only_the_engine_namespaces_its_row_allows(string ns)
    {
        var used = UsesByNamespace().GetValueOrDefault(ns) ?? [];

        Assert.Empty(used.Keys.Except(Allowed[ns]).Order(StringComparer.Ordinal).Select(n => $"{n} (through {used[n]})"));
    }

    /// <summary>The rules behind the table, spelt out, so that widening a row cannot quietly break one.</summary>
    [Theory]
    [InlineData("Federated.Engine.Gpt.Ops", "Federated.Engine.Gpt")]     // the cycle issue 17 found: ops used Gpt's Parallelism
    [InlineData("Federated.Engine.Numerics", "Federated.Engine.Gpt")]
    [InlineData("Federated.Engine.Numerics", "Federated.Engine.Gpt.Ops")]
    [InlineData("Federated.Engine", "Federated.Engine.Gpt")]              // the seam knows no family
    [InlineData("Federated.Engine", "Federated.Engine.Models")]
    [InlineData("Federated.Engine.Gpt", "Federated.Engine.Models")]
    [InlineData("Federated.Engine.Gpt", "Federated.Engine.Checkpoints")]
    [InlineData("Federated.Engine.Gpt", "Federated.Engine.Gpt.Onnx")]
    [InlineData("Federated.Randomness", "Federated.Engine")]
    public void An_engine_namespace_never_uses_what_the_direction_forbids(string ns, string forbidden)
    {
        var used = UsesByNamespace().GetValueOrDefault(ns) ?? [];

        Assert.DoesNotContain(forbidden, used.Keys);
    }

    [Fact]
    public void Every_engine_namespace_has_a_row()
    {
        var namespaces = Engine.GetTypes().Select(t => t.Namespace).OfType<string>().Where(IsOurs).Distinct();

        Assert.Empty(namespaces.Except(Allowed.Keys).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_row_names_only_namespaces_the_table_knows() =>
        Assert.Empty(Allowed.Values.SelectMany(row => row).Except(Allowed.Keys));

    [Fact]
    public void The_allowed_uses_form_no_cycle()
    {
        // Depth-first search: a namespace met again while still on the path closes a cycle.
        var onPath = new List<string>();
        var done = new HashSet<string>();
        var cycles = new List<string>();

        void Visit(string ns)
        {
            if (done.Contains(ns)) return;
            var at = onPath.IndexOf(ns);
            if (at >= 0)
            {
                cycles.Add(string.Join(" -> ", onPath.Skip(at).Append(ns)));
                return;
            }
            onPath.Add(ns);
            foreach (var next in Allowed[ns]) Visit(next);
            onPath.RemoveAt(onPath.Count - 1);
            done.Add(ns);
        }

        foreach (var ns in Allowed.Keys) Visit(ns);
        Assert.Empty(cycles);
    }

    /// <summary>The reader must see uses that live only in method bodies, or every rule above would pass vacuously.</summary>
    [Theory]
    [InlineData("Federated.Engine.Models", "Federated.Engine.Gpt")]        // ModelFactory.Create calls GptModel.FromConfig
    [InlineData("Federated.Engine.Gpt.Ops", "Federated.Engine.Numerics")]   // LayerNorm calls FixedOrder.Sum
    [InlineData("Federated.Engine.Numerics", "Federated.Randomness")]       // SeededRandom seeds from SplitMix64
    [InlineData("Federated.Engine.Gpt", "Federated.Engine.Gpt.Ops")]
    public void The_reader_sees_uses_made_inside_method_bodies(string ns, string used) =>
        Assert.Contains(used, (UsesByNamespace().GetValueOrDefault(ns) ?? []).Keys);

    private static bool IsOurs(string ns) => ns.StartsWith("Federated.", StringComparison.Ordinal);

    private static Dictionary<string, Dictionary<string, string>>? _uses;

    /// <summary>For each engine namespace: the other engine namespaces it uses, each with one type that uses it (for the message).</summary>
    private static Dictionary<string, Dictionary<string, string>> UsesByNamespace()
    {
        if (_uses is not null) return _uses;
        var uses = new Dictionary<string, Dictionary<string, string>>();
        foreach (var type in Engine.GetTypes())
        {
            if (type.Namespace is not { } from || !IsOurs(from)) continue;
            foreach (var used in TypesUsedBy(type))
            {
                if (used.Assembly != Engine || used.Namespace is not { } to || to == from || !IsOurs(to)) continue;
                var row = uses.TryGetValue(from, out var r) ? r : uses[from] = [];
                row.TryAdd(to, $"{type.FullName} -> {used.FullName}");
            }
        }
        return _uses = uses;
    }

    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static IEnumerable<Type> TypesUsedBy(Type type)
    {
        var found = new List<Type>();
        if (type.BaseType is { } baseType) found.Add(baseType);
        found.AddRange(type.GetInterfaces());
        found.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo m) found.Add(m.ReturnType);
            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            found.AddRange(method.GetMethodBody()?.LocalVariables.Select(l => l.LocalType) ?? []);
            found.AddRange(TypesNamedInBody(type, method));
        }
        return found.SelectMany(Unwrap);
    }

    /// <summary>A type with the types inside it: element types of arrays, pointers and refs, and generic arguments.</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType) return Unwrap(type.GetElementType()!);
        if (type.IsGenericParameter) return [];
        if (!type.IsGenericType) return [type];
        return type.GetGenericArguments().SelectMany(Unwrap).Prepend(type.GetGenericTypeDefinition());
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => op.Value);

    /// <summary>Every type the IL of <paramref name="method"/> names through a type, field or method token.</summary>
    private static IEnumerable<Type> TypesNamedInBody(Type type, MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            var value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    var member = type.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments)!;
                    i += 4;
                    foreach (var used in TypesOf(member)) yield return used;
                    break;
                default: // InlineI, InlineBrTarget, InlineString, InlineSig, ShortInlineR
                    i += 4;
                    break;
            }
        }
    }

    private static IEnumerable<Type> TypesOf(MemberInfo member)
    {
        IEnumerable<Type?> types = member switch
        {
            Type t => [t],
            FieldInfo f => [f.DeclaringType, f.FieldType],
            MethodInfo m => [m.DeclaringType, m.ReturnType, .. m.GetParameters().Select(p => p.ParameterType),
                .. m.IsGenericMethod ? m.GetGenericArguments() : []],
            MethodBase c => [c.DeclaringType, .. c.GetParameters().Select(p => p.ParameterType)],
            _ => [],
        };
        return types.OfType<Type>();
    }
}
