using System.Buffers.Text;
using System.Text;
using Comms.Common;

namespace Comms.Storage;

/// <summary>
/// Continuation tokens as the API hands them out: the table service's token together with the partition it
/// pages through, base64url-encoded. Anything else (a garbage token, one of another listing or library) is
/// refused with a 400 instead of being passed to the table service, which answered it with an empty page.
/// </summary>
public static class PageTokens
{
    private const string Version = "t1|";

    public static string? Wrap(string partition, string? tableToken) =>
        tableToken is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Version + partition + "|" + tableToken));

    /// <summary>The table service's token inside <paramref name="token"/>; throws a 400 for a token this listing did not issue.</summary>
    public static string? Unwrap(string partition, string? token)
    {
        if (token is null)
        {
            return null;
        }

        var prefix = Version + partition + "|";
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw NotIssued();
        }

        return text.Length > prefix.Length && text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : throw NotIssued();
    }

    private static RequestValidationException NotIssued() =>
        RequestValidationException.For("continuationToken", "This is not a token this API issued; pass back the continuationToken of the previous page, or none for the first page.");
}
