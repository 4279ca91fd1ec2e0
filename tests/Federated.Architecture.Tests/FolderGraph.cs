using System.Reflection;
using System.Reflection.Emit;

namespace Federated.Architecture.Tests;

/// <summary>
/// Which folders of one project use which, read from the compiled assembly: a folder is a namespace below the
/// assembly's root namespace (files at the project root form the folder ""), and a type uses another when it
/// names it in its base type, interfaces, fields, method signatures, locals or method bodies. Compiler-generated
/// types (lambdas, async state machines) count for the type they were written in.
/// </summary>
internal sealed class FolderGraph
{
    private static readonly BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly Assembly _assembly;
    private readonly string _root;

    /// <summary>folder -> folder it uses -> every use behind it, "Type uses Type".</summary>
    public Dictionary<string, SortedDictionary<string, SortedSet<string>>> Edges { get; } = new(StringComparer.Ordinal);

    public FolderGraph(Assembly assembly, string rootNamespace)
    {
        _assembly = assembly;
        _root = rootNamespace;
        foreach (var type in assembly.GetTypes())
        {
            var from = FolderOf(type);
            if (from is null) continue;
            foreach (var used in UsedTypes(type))
            {
                var to = FolderOf(used);
                if (to is null || to == from) continue;
                var row = Edges.TryGetValue(from, out var r) ? r : Edges[from] = new(StringComparer.Ordinal);
                var uses = row.TryGetValue(to, out var u) ? u : row[to] = new(StringComparer.Ordinal);
                uses.Add($"{Outermost(type).FullName} uses {Outermost(used).FullName}");
            }
        }
    }

    /// <summary>Each cycle of folders, written "A -> B -> A" with the use behind each step.</summary>
    public List<string> Cycles()
    {
        var cycles = new List<string>();
        var onPath = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);

        void Visit(string folder)
        {
            if (done.Contains(folder)) return;
            var at = onPath.IndexOf(folder);
            if (at >= 0)
            {
                var loop = onPath.Skip(at).Append(folder).ToList();
                var steps = loop.Zip(loop.Skip(1), (a, b) => $"'{a}' -> '{b}' ({string.Join(", ", Edges[a][b])})");
                cycles.Add(string.Join("; ", steps));
                return;
            }

            onPath.Add(folder);
            foreach (var next in Edges.GetValueOrDefault(folder)?.Keys ?? Enumerable.Empty<string>()) Visit(next);
            onPath.RemoveAt(onPath.Count - 1);
            done.Add(folder);
        }

        foreach (var folder in Edges.Keys.Order(StringComparer.Ordinal)) Visit(folder);
        return cycles;
    }

    /// <summary>The uses that make <paramref name="from"/> depend on <paramref name="to"/>, or null when it does not.</summary>
    public string? Use(string from, string to) =>
        Edges.GetValueOrDefault(from)?.GetValueOrDefault(to) is { } uses ? string.Join(", ", uses) : null;

    private string? FolderOf(Type type)
    {
        if (type.IsGenericParameter) return null;
        if (type.HasElementType) return FolderOf(type.GetElementType()!);
        var outer = Outermost(type);
        if (outer.Assembly != _assembly) return null;
        var ns = outer.Namespace ?? "";
        if (ns == _root) return "";
        return ns.StartsWith(_root + ".", StringComparison.Ordinal) ? ns[(_root.Length + 1)..] : null;
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer && !type.IsGenericParameter) type = outer;
        return type;
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        var found = new List<Type>();
        void Add(Type? t)
        {
            if (t is null) return;
            if (t.HasElementType) { Add(t.GetElementType()); return; }
            if (t.IsGenericParameter) return;
            found.Add(t.IsGenericType ? t.GetGenericTypeDefinition() : t);
            if (t.IsConstructedGenericType) foreach (var a in t.GetGenericArguments()) Add(a);
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var f in type.GetFields(Everything)) Add(f.FieldType);
        foreach (var p in type.GetProperties(Everything)) Add(p.PropertyType);
        var methods = type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything));
        foreach (var m in methods)
        {
            if (m is MethodInfo mi) Add(mi.ReturnType);
            foreach (var p in m.GetParameters()) Add(p.ParameterType);
            var body = m.GetMethodBody();
            if (body is null) continue;
            foreach (var local in body.LocalVariables) Add(local.LocalType);
            foreach (var member in TokensOf(m, body)) Add(member);
        }

        return found;
    }

    /// <summary>The types named by the method's IL: each call, field access, type test, cast, new or ldtoken.</summary>
    private static IEnumerable<Type> TokensOf(MethodBase method, MethodBody body)
    {
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var types = new List<Type>();
        for (var i = 0; i < il.Length;)
        {
            short value = il[i++];
            if (value == 0xFE) value = unchecked((short)(0xFE00 | il[i++]));
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                    switch (member)
                    {
                        case Type t: types.Add(t); break;
                        case MethodBase mb:
                            types.Add(mb.DeclaringType!);
                            if (mb.IsGenericMethod) types.AddRange(mb.GetGenericArguments());
                            break;
                        case FieldInfo fi: types.Add(fi.DeclaringType!); types.Add(fi.FieldType); break;
                    }
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineNone:
                    break;
                default: // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                    i += 4;
                    break;
            }
        }

        return types;
    }
}
