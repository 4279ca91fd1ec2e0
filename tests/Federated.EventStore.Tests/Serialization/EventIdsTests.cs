using Federated.EventStore.Serialization;

namespace Federated.EventStore.Tests.Serialization;

/// <summary>Expected ids produced with Python's uuid.uuid5 (an independent implementation of RFC 9562 version 5).</summary>
public sealed class EventIdsTests
{
    [Fact]
    public void A_name_based_id_matches_the_rfc_9562_example()
    {
        // uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com")
        var dns = Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal(Guid.Parse("2ed6657d-e927-568b-95e1-2665a8aea6a2"), EventIds.FromName(dns, "www.example.com"));
    }

    [Fact]
    public void A_name_based_id_matches_python_for_a_run_namespace()
    {
        // uuid.uuid5(uuid.UUID("01234567-89ab-cdef-0123-456789abcdef"), "round-3/aggregated")
        var run = Guid.Parse("01234567-89ab-cdef-0123-456789abcdef");

        Assert.Equal(Guid.Parse("8e20c557-4f2f-582c-9864-714af7bc95db"), EventIds.FromName(run, "round-3/aggregated"));
    }
}
