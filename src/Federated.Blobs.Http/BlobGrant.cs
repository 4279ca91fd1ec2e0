using Federated.Blobs.Access;
using Microsoft.AspNetCore.Http;

namespace Federated.Blobs.Http;

/// <summary>What the request's credential allows: everything (operator token, or an open server) or one lease's blobs.</summary>
internal sealed record BlobGrant(BlobLease? Lease)
{
    private const string ItemKey = "federated.blob-grant";

    public static readonly BlobGrant Full = new((BlobLease?)null);

    public static BlobGrant Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var grant) && grant is BlobGrant g ? g : throw new InvalidOperationException("blob request reached its handler without an access decision");

    public void AttachTo(HttpContext context) => context.Items[ItemKey] = this;
}
