using System.Collections.Concurrent;
using Federated.Blobs;
using Federated.Contracts;
using Federated.Coordinator.Data;
using Federated.Domain.Runs;
using Federated.Engine;
using Federated.Engine.Parameters;
using Federated.Engine.Tokens;
using Federated.EventStore;

namespace Federated.Coordinator.Runs;

public sealed record CoordinatorOptions
{
    /// <summary>How often the driver wakes without a message, to expire leases and check deadlines.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);
    public int EvalThreads { get; init; } = 1;
    /// <summary>Refuse workers that announce themselves without a signed registration (and so sign nothing).</summary>
    public bool RequireSignedWorkers { get; init; } = true;
    /// <summary>How far a signed registration's issue time may be from now: bounds replay of old announcements.</summary>
    public TimeSpan RegistrationMaxAge { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Addresses of the consortium admins, the only keys that may launch or stop runs over the bus.</summary>
    public IReadOnlyList<string> Admins { get; init; } = [];
    /// <summary>When a worker is forgotten (silent) or benched (lets leases run out); see <see cref="WorkerLiveness"/>.</summary>
    public WorkerLiveness WorkerLiveness { get; init; } = WorkerLiveness.Default;
}

/// <summary>
/// The coordinator's application service: launches runs, turns worker messages into run commands, and
/// drives each run round by round (<see cref="RunDriver"/>). Every decision goes through a <see cref="RunSession"/>,
/// so everything that happens is an event before anyone acts on it.
/// </summary>
public sealed class RunCoordinator(IEventStore store, IBlobStore blobs, IWorkDispatcher dispatcher, TimeProvider time, CoordinatorOptions? options = null)
{
    private readonly ConcurrentDictionary<string, RunDriver> _drivers = new(StringComparer.Ordinal);

    public WorkerDirectory Workers { get; } = new(time, (options ?? new CoordinatorOptions()).WorkerLiveness);
    public Trust.AdminAuthorizer Admin { get; } = new((options ?? new CoordinatorOptions()).Admins, time, (options ?? new CoordinatorOptions()).RegistrationMaxAge);
    internal CoordinatorOptions Options { get; } = options ?? new CoordinatorOptions();
    internal IBlobStore Blobs => blobs;
    internal IWorkDispatcher Dispatcher => dispatcher;
    internal TimeProvider Time => time;

    /// <summary>Checks the spec, prepares the initial model and the data, and records RunLaunched. A bad spec
    /// throws <see cref="RunSpecException"/> before anything is stored.</summary>
    public async Task<string> LaunchAsync(RunSpec spec, string? runId = null, string? specDirectory = null, CancellationToken cancellationToken = default)
    {
        RunSpecValidator.Validate(spec);
        var model = CreateModel(spec.Model);
        var dataset = Dataset.Load(spec.Dataset, specDirectory);
        runId ??= NewRunId();

        var weights = model.Initialize(spec.Seed);
        var validation = ByteTokenizer.Encode(dataset.Validation);
        var initialLoss = model.Evaluate(weights, validation, new EvaluateOptions(spec.EvalTokens) { Threads = Options.EvalThreads });
        var modelHash = await blobs.PutAsync(ParameterCodec.Encode(weights), cancellationToken);
        var trainHash = await blobs.PutAsync(dataset.Train, cancellationToken);
        var validationHash = await blobs.PutAsync(dataset.Validation, cancellationToken);

        var session = await RunSession.LoadAsync(store, runId, time, cancellationToken);
        await session.ExecuteAsync(new LaunchRun(runId, spec, model.Describe(), model.ParameterCount, modelHash.Hex,
            trainHash.Hex, dataset.Train.Length, validationHash.Hex, dataset.Validation.Length, initialLoss), cancellationToken);
        _drivers[runId] = new RunDriver(this, session, model, dataset.Train, validation);
        return runId;
    }

    /// <summary>Picks up a run already in the store (after a restart) so it can be driven on.</summary>
    public async Task<RunState> ResumeAsync(string runId, CancellationToken cancellationToken = default)
    {
        var session = await RunSession.LoadAsync(store, runId, time, cancellationToken);
        var state = session.State;
        if (state.Status == RunStatus.None) throw new InvalidOperationException($"run {runId} does not exist in the event store");
        var model = CreateModel(state.Spec!.Model);
        var launched = await FirstEventAsync<RunEvents.V1.RunLaunched>(session.StreamId, cancellationToken);
        var train = await blobs.GetAsync(BlobHash.Parse(launched.TrainSetHash), cancellationToken);
        var validation = await blobs.GetAsync(BlobHash.Parse(launched.ValidationSetHash), cancellationToken);
        _drivers[runId] = new RunDriver(this, session, model, train, ByteTokenizer.Encode(validation));
        return state;
    }

    /// <summary>Drives the run until it completes or fails; reports each aggregated round.</summary>
    public Task<RunState> DriveAsync(string runId, IProgress<RoundReport>? progress = null, CancellationToken cancellationToken = default) =>
        DriverOf(runId).DriveAsync(progress, cancellationToken);

    public RunState StateOf(string runId) => DriverOf(runId).Session.State;

    /// <summary>Checks the announcement's signature before the worker goes into the address book: an impostor must
    /// not redirect a worker's tasks. A refusal is recorded in every running run.</summary>
    public async Task WorkerAvailableAsync(WorkerAvailable message, CancellationToken cancellationToken = default)
    {
        Trust.MessageLimits.Check(message);
        var verdict = Trust.RegistrationAuthenticator.Check(message, time.GetUtcNow(), Options.RegistrationMaxAge, Options.RequireSignedWorkers);
        var known = RegisteredAddressOf(message.WorkerId);
        var refusal = verdict.Refusal ?? (known is not null && !string.Equals(known, verdict.Address, StringComparison.OrdinalIgnoreCase)
            ? $"{RejectionReasons.UnknownSigner}: worker {message.WorkerId} registered as {known}, the announcement is signed by {verdict.Address ?? "no one"}"
            : null);
        if (refusal is not null)
        {
            foreach (var driver in _drivers.Values)
                await driver.Session.ExecuteAsync(new RefuseWorker(message.WorkerId, message.Address, refusal), cancellationToken);
            return;
        }
        Workers.Add(new WorkerDirectory.Entry(message.WorkerId, message.Endpoint, Math.Max(1, message.Threads), verdict.Address),
            verdict.Address is null ? null : message.IssuedAt);
        // A benched worker stays out of every run however often it announces itself; it joins when its bench is over.
        if (Workers.Unavailability(message.WorkerId) is not null) return;
        foreach (var driver in _drivers.Values) await driver.JoinAsync(message.WorkerId, message.Threads, verdict.Address, cancellationToken);
    }

    /// <exception cref="Trust.UnauthorizedMessageException">The worker registered an address and did not sign the goodbye with it.</exception>
    public async Task WorkerLeavingAsync(WorkerLeaving message, CancellationToken cancellationToken = default)
    {
        Trust.MessageLimits.Check(message);
        RequireNotice(message.WorkerId, Chain.Attestations.WorkerNotice.Leaving, message.Reason, message.IssuedAt, message.Signature);
        Workers.Remove(message.WorkerId);
        foreach (var driver in _drivers.Values)
            await driver.Session.ExecuteAsync(new LeaveWorker(message.WorkerId, message.Reason), cancellationToken);
    }

    /// <exception cref="Trust.MalformedMessageException">A field is missing or too large; nothing is recorded.</exception>
    public async Task ShardTrainedAsync(ShardTrained message, CancellationToken cancellationToken = default)
    {
        Trust.MessageLimits.Check(message);
        if (await DriverForMessageAsync(message.RunId, nameof(ShardTrained), message.WorkerId, message.LeaseId, cancellationToken) is { } driver)
            await driver.SubmitAsync(message, cancellationToken);
    }

    /// <exception cref="Trust.UnauthorizedMessageException">The worker registered an address and did not sign the notice with it.</exception>
    public async Task ShardFailedAsync(ShardFailed message, CancellationToken cancellationToken = default)
    {
        Trust.MessageLimits.Check(message);
        RequireNotice(message.WorkerId, Chain.Attestations.WorkerNotice.ShardFailed, message.LeaseId, message.IssuedAt, message.Signature);
        if (await DriverForMessageAsync(message.RunId, nameof(ShardFailed), message.WorkerId, message.LeaseId, cancellationToken) is { } driver)
            await driver.ReleaseAsync(message, cancellationToken);
    }

    /// <summary>Records that a message could not be handled after its retries (it is on its way to the error queue).</summary>
    public Task RecordFaultAsync(MessageFault fault, CancellationToken cancellationToken = default) =>
        FaultLog.AppendAsync(store, fault, cancellationToken);

    /// <summary>
    /// The driver of the run a worker message names. A run that is running in the log but not loaded here yet (a
    /// message that arrived before a restart resumed it) throws <see cref="RunNotLoadedException"/>, so the bus
    /// redelivers it rather than drop it; a run the log does not hold throws <see cref="UnknownRunException"/> (the
    /// message is faulty: retries, then the error queue); a late message for a finished run counts for nothing (null)
    /// and is recorded in <see cref="LateMessageLog"/>.
    /// </summary>
    private async Task<RunDriver?> DriverForMessageAsync(string runId, string messageType, string workerId, string leaseId, CancellationToken cancellationToken)
    {
        if (_drivers.TryGetValue(runId ?? "", out var driver)) return driver;
        if (string.IsNullOrWhiteSpace(runId) || runId.Any(char.IsControl) || runId.Length > 200)
            throw new UnknownRunException(runId ?? "", messageType);
        var state = (await RunSession.LoadAsync(store, runId, time, cancellationToken)).State;
        if (state.Status == RunStatus.None) throw new UnknownRunException(runId, messageType);
        if (state.IsRunning) throw new RunNotLoadedException(runId, messageType);
        await LateMessageLog.AppendAsync(store, new LateMessage(runId, messageType, workerId ?? "", leaseId ?? "", state.Status.ToString(), time.GetUtcNow()), cancellationToken);
        return null;
    }

    /// <summary>Stops a running run at a consortium admin's signed request; a refusal is recorded in the run, if it exists.</summary>
    public async Task<RunStopAnswered> StopAsync(StopRunRequested request, CancellationToken cancellationToken = default)
    {
        var (admin, refusal) = Admin.Check(Chain.Attestations.AdminAction.StopRun, request.RunId, System.Text.Encoding.UTF8.GetBytes(request.Reason),
            request.Admin, request.IssuedAt, request.Signature);
        var driver = _drivers.GetValueOrDefault(request.RunId);
        if (refusal is not null)
        {
            if (driver is not null)
                await driver.Session.ExecuteAsync(new RefuseAdminRequest(Chain.Attestations.AdminAction.StopRun, request.Admin, refusal), cancellationToken);
            return new RunStopAnswered { RequestId = request.RequestId, RunId = request.RunId, Error = $"refused: {refusal}" };
        }
        if (driver is null) return new RunStopAnswered { RequestId = request.RequestId, RunId = request.RunId, Error = $"run {request.RunId} is not loaded by this coordinator" };
        await driver.Session.ExecuteAsync(new FailRun($"stopped by consortium admin {admin}: {request.Reason}"), cancellationToken);
        return new RunStopAnswered { RequestId = request.RequestId, RunId = request.RunId };
    }

    /// <summary>The engine model a spec names; a bad setting becomes a <see cref="RunSpecException"/> naming it.</summary>
    public static ILanguageModel CreateModel(ModelSpec spec)
    {
        try
        {
            return ModelFactory.Create(new ModelConfig(spec.Family, spec.Settings));
        }
        catch (ModelConfigException e)
        {
            // The engine names settings "model.<key>"; in a spec they live under model.settings.
            var field = e.Field.StartsWith("model.", StringComparison.Ordinal) && e.Field != "model.family"
                ? "model.settings." + e.Field["model.".Length..]
                : e.Field;
            throw new RunSpecException(field, e.Message[(e.Field.Length + 2)..]);
        }
    }

    /// <summary>The address the worker registered: in the address book, or (after a restart) in a run's record.</summary>
    private string? RegisteredAddressOf(string workerId) =>
        Workers.Find(workerId)?.Address
        ?? _drivers.Values.Select(d => d.Session.State.Workers.GetValueOrDefault(workerId)?.Address).FirstOrDefault(a => a is not null);

    private void RequireNotice(string workerId, string kind, string subject, long? issuedAt, string? signature)
    {
        var notice = new Chain.Attestations.WorkerNotice(workerId, kind, subject, issuedAt ?? -1);
        if (Trust.NoticeAuthenticator.Refusal(RegisteredAddressOf(workerId), notice, signature, time.GetUtcNow(), Options.RegistrationMaxAge) is { } refusal)
            throw new Trust.UnauthorizedMessageException(refusal);
    }

    private RunDriver DriverOf(string runId) =>
        _drivers.TryGetValue(runId, out var d) ? d : throw new InvalidOperationException($"run {runId} is not loaded by this coordinator");

    private async Task<T> FirstEventAsync<T>(string streamId, CancellationToken cancellationToken)
    {
        await foreach (var e in store.ReadStreamAsync(streamId, ReadDirection.Forward, 0, 1, cancellationToken))
            if (RunEventCodec.Decode(e) is T typed) return typed;
        throw new InvalidOperationException($"stream {streamId} does not start with {typeof(T).Name}");
    }

    private string NewRunId() => $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
}
