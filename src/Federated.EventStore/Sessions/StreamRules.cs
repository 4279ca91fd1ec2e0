using Federated.EventStore.Serialization;

namespace Federated.EventStore.Sessions;

/// <summary>
/// What a <see cref="StreamSession{TState, TCommand}"/> needs to know about one kind of aggregate: its state before
/// any event, its pure decision (command and state to new events, or a domain exception), its fold, and the codec
/// its events are stored with.
/// </summary>
public sealed record StreamRules<TState, TCommand>(
    TState Initial,
    Func<TCommand, TState, DateTimeOffset, IReadOnlyList<object>> Decide,
    Func<TState, object, TState> Evolve,
    EventCodec Codec);
