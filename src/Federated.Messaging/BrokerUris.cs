using System.Text.RegularExpressions;

namespace Federated.Messaging;

/// <summary>Helpers for broker URIs that may carry a password.</summary>
public static partial class BrokerUris
{
    /// <summary>Replaces the password in <c>scheme://user:password@host</c> with <c>***</c>; other text is left as it is.</summary>
    public static string Redact(string uri) => Password().Replace(uri, "${prefix}***@");

    // Works on text that is not a valid URI too, which is exactly when the error message needs it.
    [GeneratedRegex(@"(?<prefix>^[A-Za-z][A-Za-z0-9+.\-]*://[^:/@]*:)[^/]*@")]
    private static partial Regex Password();
}
