using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

/// <summary>Whose submission is it: the run compares the signature the application checked with what it recorded.</summary>
public class SignedSubmissionTests
{
    private const string W1 = "0x1111111111111111111111111111111111111111";
    private const string Other = "0x2222222222222222222222222222222222222222";

    private static object[] IdentifiedRoundOneLeased() =>
        [.. RoundOneLeased(), new WorkerIdentified(RunId, "w1", W1, T0), new WorkerIdentified(RunId, "w2", Other, T0)];

    private static SubmissionSignature Signed(string signer = W1, string signature = "0xsig-1", string runId = RunId,
        string baseModel = InitialModel, double deadline = 300, string? defect = null) =>
        new(runId, signer, signature, baseModel, At(deadline), defect);

    private static SubmitUpdate SignedSubmit(SubmissionSignature signature, string leaseId = "lease-1", string update = "update-1") =>
        Submit(1, 1, leaseId, "w1", update) with { Signature = signature };

    [Fact]
    public void A_submission_signed_by_the_registered_key_is_recorded_as_signed_and_accepted() =>
        Given(IdentifiedRoundOneLeased())
            .When(SignedSubmit(Signed()), At(60))
            .Then(
                new UpdateSubmitted(RunId, 1, 1, "lease-1", "w1", "update-1", ShardTokens, 3f, At(60)),
                new ContributionSigned(RunId, 1, 1, "lease-1", "w1", W1, "0xsig-1", At(300), At(60)),
                new UpdateAccepted(RunId, 1, 1, "lease-1", "w1", "update-1", ShardTokens, At(60)),
                new ShardCompleted(RunId, 1, 1, "w1", At(60)));

    [Fact]
    public void A_submission_signed_by_another_key_is_rejected_as_unknown_signer() =>
        Given(IdentifiedRoundOneLeased())
            .When(SignedSubmit(Signed(signer: Other)), At(60))
            .ThenRejectedFor(RejectionReasons.UnknownSigner);

    [Fact]
    public void A_signed_submission_for_a_worker_that_registered_no_address_is_rejected_as_unknown_signer() =>
        Given(RoundOneLeased())
            .When(SignedSubmit(Signed()), At(60))
            .ThenRejectedFor(RejectionReasons.UnknownSigner);

    [Fact]
    public void An_unsigned_submission_for_an_identified_worker_is_rejected_as_unsigned() =>
        Given(IdentifiedRoundOneLeased())
            .When(Submit(1, 1, "lease-1", "w1", "update-1"), At(60))
            .ThenRejectedFor(RejectionReasons.Unsigned);

    [Fact]
    public void A_signature_the_application_found_malformed_is_rejected_for_that_defect() =>
        Given(IdentifiedRoundOneLeased())
            .When(SignedSubmit(Signed(defect: $"{RejectionReasons.HighSSignature}: s in the upper half")), At(60))
            .ThenRejectedFor(RejectionReasons.HighSSignature);

    [Fact]
    public void A_second_signed_submission_on_a_decided_lease_is_rejected_as_replayed() =>
        Given([.. IdentifiedRoundOneLeased(), new UpdateSubmitted(RunId, 1, 1, "lease-1", "w1", "update-1", ShardTokens, 3f, At(60)),
                new ContributionSigned(RunId, 1, 1, "lease-1", "w1", W1, "0xsig-1", At(300), At(60)),
                new UpdateRejected(RunId, 1, 1, "lease-1", "w1", "update-1", "invalid-update: NaN", At(60))])
            .When(SignedSubmit(Signed(signature: "0xsig-2"), update: "update-1b"), At(70))
            .ThenRejectedFor(RejectionReasons.ReplayedSubmission);

    [Fact]
    public void A_signature_already_used_is_rejected_as_replayed_even_on_another_lease() =>
        Given([.. IdentifiedRoundOneLeased(), new ContributionSigned(RunId, 1, 2, "lease-2", "w1", W1, "0xsig-1", At(300), At(60))])
            .When(SignedSubmit(Signed()), At(70))
            .ThenRejectedFor(RejectionReasons.ReplayedSubmission);

    [Fact]
    public void A_signature_for_another_run_is_rejected_as_wrong_run() =>
        Given(IdentifiedRoundOneLeased())
            .When(SignedSubmit(Signed(runId: "run-2")), At(60))
            .ThenRejectedFor(RejectionReasons.WrongRun);

    [Fact]
    public void A_signature_whose_deadline_passed_is_rejected_as_expired() =>
        Given(IdentifiedRoundOneLeased())
            .When(SignedSubmit(Signed(deadline: 50)), At(60))
            .ThenRejectedFor(RejectionReasons.SignatureExpired);

    [Fact]
    public void An_update_signed_as_trained_from_another_base_is_rejected_as_wrong_base_model()
    {
        var events = Given(IdentifiedRoundOneLeased()).When(SignedSubmit(Signed(baseModel: "model-stale")), At(60)).Events;

        Assert.Equal(RejectionReasons.WrongBaseModel, RejectionReasons.CodeOf(events.OfType<UpdateRejected>().Single().Reason));
    }

    [Fact]
    public void A_forged_submission_does_not_end_the_workers_lease() =>
        Assert.DoesNotContain(Given(IdentifiedRoundOneLeased()).When(SignedSubmit(Signed(signer: Other)), At(60)).Events, e => e is ShardLeaseExpired);

    [Fact]
    public void After_a_forged_copy_the_workers_own_submission_of_that_update_is_still_decided()
    {
        var forged = Given(IdentifiedRoundOneLeased()).When(SignedSubmit(Signed(signer: Other)), At(60)).Events;

        Given([.. IdentifiedRoundOneLeased(), .. forged])
            .When(SignedSubmit(Signed()), At(61))
            .Then(
                new UpdateSubmitted(RunId, 1, 1, "lease-1", "w1", "update-1", ShardTokens, 3f, At(61)),
                new ContributionSigned(RunId, 1, 1, "lease-1", "w1", W1, "0xsig-1", At(300), At(61)),
                new UpdateAccepted(RunId, 1, 1, "lease-1", "w1", "update-1", ShardTokens, At(61)),
                new ShardCompleted(RunId, 1, 1, "w1", At(61)));
    }
}
