using System.Text.RegularExpressions;

namespace Federated.Messaging;

/// <summary>Helpers for broker URIs that may carry a password.</summary>
public static partial class BrokerUris
{
    /// <summary>Replaces the password in <c>scheme://user:password@host</c> with <c>***</c>; other text is left as it is.</summary>
    public static string Redact(string uri)
    {
        // Works on text that is not a valid URI too, which is exactly when an error message needs it.
        var redacted = UriPassword().Replace(uri, "${prefix}***@", 1);
        return redacted != uri ? redacted : LoosePassword().Replace(uri, "${prefix}***@");
    }

    [GeneratedRegex(@"(?<prefix>^[A-Za-z][A-Za-z0-9+.\-]*://[^:/@]*:)[^/]*@")]
    private static partial Regex UriPassword();

    [GeneratedRegex(@"(?<prefix>[^:@/\s]+:)[^@\s]*@")]
    private static partial Regex LoosePassword();
}
