using System.Collections.Concurrent;
using Federated.Blobs;
using Federated.Contracts;
using Federated.Coordinator.Data;
using Federated.Coordinator.Models;
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
    /// <summary>The only folder a spec's dataset file may come from (a launch request names it); none: file datasets
    /// are refused, only the built-in corpus can be used.</summary>
    public Data.DataRoot? DataRoot { get; init; }

    /// <summary>Issues each task's blob credential (<see cref="TrainShard.BlobToken"/>) for a remote blob server; null
    /// where workers share the coordinator's store (the embedded deployment).</summary>
    public Blobs.Access.BlobLeaseTokens? BlobTokens { get; init; }

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
    /// <summary>Admin requests already acted on, in the event log: what makes a copy of one a replay, even after a restart.</summary>
    public Trust.AdminActionLog AdminActions { get; } = new(store, time);
    /// <summary>Workers' signed notices already acted on, in the event log.</summary>
    public Trust.WorkerNoticeLog Notices { get; } = new(store, time);
    private readonly ConcurrentDictionary<string, long> _registeredAt = new(StringComparer.Ordinal);
    internal CoordinatorOptions Options { get; } = options ?? new CoordinatorOptions();
    internal IBlobStore Blobs => blobs;
    internal IWorkDispatcher Dispatcher => dispatcher;
    internal TimeProvider Time => time;

    /// <summary>The open leases of the runs driven here, for a blob server that checks lease tokens.</summary>
    public Blobs.Access.IBlobLeaseDirectory OpenLeases => new BlobLeaseDirectory(this);

    internal RunDriver? LoadedDriver(string runId) => _drivers.GetValueOrDefault(runId);

    /// <summary>Checks the spec, prepares the initial model and the data, and records RunLaunched. A bad spec
    /// throws <see cref="RunSpecException"/> before anything is stored. A dataset file is read from
    /// <paramref name="dataRoot"/> when given (the operator's own `--run` spec), else from the configured root.</summary>
    public async Task<string> LaunchAsync(RunSpec spec, string? runId = null, DataRoot? dataRoot = null, CancellationToken cancellationToken = default)
    {
        RunSpecValidator.Validate(spec);
        var model = SpecModels.Create(spec.Model);
        var dataset = Dataset.Load(spec.Dataset, dataRoot ?? Options.DataRoot);
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
        var model = SpecModels.Create(state.Spec!.Model);
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
    /// not redirect a worker's tasks. A refusal is recorded in every running run (never in an ended one). A signed
    /// announcement older than the worker's newest one, or than its signed goodbye, is a replay and changes nothing;
    /// a copy of the newest (however its signature is spelt) re-announces what the worker itself announced.</summary>
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
                await ExecuteIfRunningAsync(driver, new RefuseWorker(message.WorkerId, message.Address, refusal), cancellationToken);
            return;
        }
        if (verdict.Address is not null && message.IssuedAt is { } issuedAt && !await IsNewestRegistrationAsync(message.WorkerId, issuedAt, cancellationToken))
            return;
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
        await RequireNoticeAsync(message.WorkerId, Chain.Attestations.WorkerNotice.Leaving, message.Reason, message.IssuedAt, message.Signature, cancellationToken);
        Workers.Remove(message.WorkerId);
        foreach (var driver in _drivers.Values) await driver.LeaveAsync(message.WorkerId, message.Reason, cancellationToken);
    }

    /// <exception cref="Trust.MalformedMessageException">A field is missing or too large; nothing is recorded.</exception>
    public async Task ShardTrainedAsync(ShardTrained message, CancellationToken cancellationToken = default)
    {
        Trust.MessageLimits.Check(message);
        if (await DriverForMessageAsync(message.RunId, nameof(ShardTrained), message.WorkerId, message.LeaseId, cancellationToken) is not { } driver) return;
        try
        {
            await driver.SubmitAsync(message, cancellationToken);
        }
        catch (Domain.Runs.RunEndedException ended)
        {
            await RecordLateAsync(message.RunId, nameof(ShardTrained), message.WorkerId, message.LeaseId, ended.Status, cancellationToken);
        }
    }

    /// <exception cref="Trust.UnauthorizedMessageException">The worker registered an address and did not sign the notice with it.</exception>
    public async Task ShardFailedAsync(ShardFailed message, CancellationToken cancellationToken = default)
    {
        Trust.MessageLimits.Check(message);
        await RequireNoticeAsync(message.WorkerId, Chain.Attestations.WorkerNotice.ShardFailed, message.LeaseId, message.IssuedAt, message.Signature, cancellationToken);
        if (await DriverForMessageAsync(message.RunId, nameof(ShardFailed), message.WorkerId, message.LeaseId, cancellationToken) is not { } driver) return;
        try
        {
            await driver.ReleaseAsync(message, cancellationToken);
        }
        catch (Domain.Runs.RunEndedException ended)
        {
            await RecordLateAsync(message.RunId, nameof(ShardFailed), message.WorkerId, message.LeaseId, ended.Status, cancellationToken);
        }
    }

    /// <summary>Records that a message could not be handled after its retries (it is on its way to the error queue).</summary>
    public Task RecordFaultAsync(MessageFault fault, CancellationToken cancellationToken = default) =>
        FaultLog.AppendAsync(store, fault, cancellationToken);

    /// <summary>
    /// The driver of the run a worker message names. A run that is running in the log but not loaded here yet (a
    /// message that arrived before a restart resumed it) throws <see cref="RunNotLoadedException"/>, so the bus
    /// redelivers it rather than drop it; a run the log does not hold throws <see cref="UnknownRunException"/> (the
    /// message is faulty: retries, then the error queue); a late message for a finished run, loaded here or not, counts
    /// for nothing (null) and is recorded in <see cref="LateMessageLog"/>, never in the run's closed stream.
    /// </summary>
    private async Task<RunDriver?> DriverForMessageAsync(string runId, string messageType, string workerId, string leaseId, CancellationToken cancellationToken)
    {
        if (_drivers.TryGetValue(runId ?? "", out var driver))
        {
            if (!driver.Session.State.HasEnded) return driver;
            await RecordLateAsync(runId!, messageType, workerId, leaseId, driver.Session.State.Status, cancellationToken);
            return null;
        }
        if (string.IsNullOrWhiteSpace(runId) || runId.Any(char.IsControl) || runId.Length > 200)
            throw new UnknownRunException(runId ?? "", messageType);
        var state = (await RunSession.LoadAsync(store, runId, time, cancellationToken)).State;
        if (state.Status == RunStatus.None) throw new UnknownRunException(runId, messageType);
        if (state.IsRunning) throw new RunNotLoadedException(runId, messageType);
        await RecordLateAsync(runId, messageType, workerId, leaseId, state.Status, cancellationToken);
        return null;
    }

    private Task RecordLateAsync(string runId, string messageType, string? workerId, string? leaseId, RunStatus status, CancellationToken cancellationToken) =>
        LateMessageLog.AppendAsync(store, new LateMessage(runId, messageType, workerId ?? "", leaseId ?? "", status.ToString(), time.GetUtcNow()), cancellationToken);

    /// <summary>Decides a message's command in a run that is still running; false, with nothing appended, once the run
    /// has ended (also when it ends while the command waits for the run's session).</summary>
    private static async Task<bool> ExecuteIfRunningAsync(RunDriver driver, RunCommand command, CancellationToken cancellationToken)
    {
        if (!driver.Session.State.IsRunning) return false;
        try
        {
            await driver.Session.ExecuteAsync(command, cancellationToken);
            return true;
        }
        catch (Domain.Runs.RunEndedException)
        {
            return false;
        }
    }

    /// <summary>Stops a running run at a consortium admin's signed request, once: the request is recorded in
    /// <see cref="AdminActions"/> before the run is stopped, and a copy is refused as <c>replayed-request</c>. A refusal
    /// is recorded in the run while it is running; a run that has ended records nothing more.</summary>
    public async Task<RunStopAnswered> StopAsync(StopRunRequested request, CancellationToken cancellationToken = default)
    {
        const string action = Chain.Attestations.AdminAction.StopRun;
        var verdict = Admin.Check(action, request.RunId, System.Text.Encoding.UTF8.GetBytes(request.Reason), request.Admin, request.IssuedAt, request.Signature);
        var runId = request.RunId ?? "";
        var driver = _drivers.GetValueOrDefault(runId);
        var refusal = verdict.Refusal;
        if (refusal is null && await AdminActions.ClaimAsync(action, runId, request.IssuedAt!.Value, verdict, runId, cancellationToken) is { } first)
            refusal = Trust.AdminActionLog.Replayed(first);
        if (refusal is not null)
        {
            if (driver is not null)
                await ExecuteIfRunningAsync(driver, new RefuseAdminRequest(action, request.Admin, refusal), cancellationToken);
            return new RunStopAnswered { RequestId = request.RequestId, RunId = runId, Error = $"refused: {refusal}" };
        }
        if (driver is null) return new RunStopAnswered { RequestId = request.RequestId, RunId = runId, Error = $"run {runId} is not loaded by this coordinator" };
        if (!await ExecuteIfRunningAsync(driver, new FailRun($"stopped by consortium admin {verdict.Admin}: {request.Reason}"), cancellationToken))
            return new RunStopAnswered { RequestId = request.RequestId, RunId = runId, Error = $"run {runId} has already ended ({driver.Session.State.Status.ToString().ToLowerInvariant()}); nothing to stop" };
        return new RunStopAnswered { RequestId = request.RequestId, RunId = runId };
    }

    /// <summary>The address the worker registered: in the address book, or (after a restart) in a run's record.</summary>
    private string? RegisteredAddressOf(string workerId) =>
        Workers.Find(workerId)?.Address
        ?? _drivers.Values.Select(d => d.Session.State.Workers.GetValueOrDefault(workerId)?.Address).FirstOrDefault(a => a is not null);

    /// <summary>A notice must be signed by the worker's registered key and not be a copy of one already acted on
    /// (recorded in <see cref="Notices"/> by its digest, so a re-encoded signature or a restart changes nothing).</summary>
    private async Task RequireNoticeAsync(string workerId, string kind, string subject, long? issuedAt, string? signature, CancellationToken cancellationToken)
    {
        var notice = new Chain.Attestations.WorkerNotice(workerId, kind, subject, issuedAt ?? -1);
        var registered = RegisteredAddressOf(workerId);
        if (Trust.NoticeAuthenticator.Refusal(registered, notice, signature, time.GetUtcNow(), Options.RegistrationMaxAge) is { } refusal)
            throw new Trust.UnauthorizedMessageException(refusal);
        if (registered is null) return; // an unsigned worker's notices carry nothing to remember
        var digest = Chain.Codecs.Hex.Encode(notice.Digest(Chain.Attestations.FederatedDomain.For()));
        if (await Notices.ClaimAsync(workerId, kind, subject, notice.IssuedAt, digest, registered, cancellationToken) is { } first)
            throw new Trust.UnauthorizedMessageException(
                $"{Trust.AdminRefusals.Replayed}: {kind} notice for worker {workerId} (issued at {first.IssuedAt}) was already acted on at {first.AcceptedAt:O}");
    }

    /// <summary>Whether a signed registration is at least as new as the worker's newest one seen here and not older than
    /// its last signed goodbye (remembered in the log): an older one is a replay, which must not bring back a worker
    /// that left. The same second as the goodbye still counts, so a worker that restarts at once is not locked out.</summary>
    private async Task<bool> IsNewestRegistrationAsync(string workerId, long issuedAt, CancellationToken cancellationToken)
    {
        if (await Notices.LastGoodbyeAsync(workerId, cancellationToken) is { } goodbye && issuedAt < goodbye) return false;
        var newest = _registeredAt.AddOrUpdate(workerId, issuedAt, (_, known) => Math.Max(known, issuedAt));
        return issuedAt >= newest;
    }

    private RunDriver DriverOf(string runId) =>
        _drivers.TryGetValue(runId, out var d) ? d : throw new InvalidOperationException($"run {runId} is not loaded by this coordinator");

    private async Task<T> FirstEventAsync<T>(string streamId, CancellationToken cancellationToken)
    {
        await foreach (var e in store.ReadStreamAsync(streamId, ReadDirection.Forward, 0, 1, cancellationToken))
            if (RunEventCodec.Decode(e) is T typed) return typed;
        throw new InvalidOperationException($"stream {streamId} does not start with {typeof(T).Name}");
    }

    internal string NewRunId() => $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
}
