using System.Globalization;
using System.Text.RegularExpressions;
using Comms.Common;

namespace Comms.Preferences;

/// <summary>
/// What a valid contact self-service token says: this address, as a contact of any patron of this library, may see
/// and change the notices it turned off for all of them (ContactOptOuts). No patron: the page shows none.
/// </summary>
/// <param name="Language">The language of the email the link came in (the reader's), for the page's words; null: the library's.</param>
public sealed record ContactManageToken(string LibraryId, string AddressHash, string? Language, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The self-service link of a contact email listing several patrons (household, class, head-of-school summary): its
/// own version, "m2", so it can never pass for a patron's page link (m1) or an unsubscribe link, signed with the same
/// key. It expires like the patron's (<see cref="PreferenceOptions.ManageLinkLifetime"/>) and the library revokes an
/// address's links (<see cref="ContactOptOut.LinksRevokedAt"/>).
/// </summary>
public sealed partial class UnsubscribeLinks
{
    private const string ContactManageVersion = "m2";

    public string? ContactManageLinkFor(string libraryId, string address, string? language)
    {
        if (!EmailAddress.TryNormalize(address, out var normal))
        {
            return null;
        }

        var now = Clock.GetUtcNow();
        var token = Sign(new ContactManageToken(libraryId, AddressHash(normal), language, now, now + Options.ManageLinkLifetime));
        return $"{Options.PublicBaseUrl.TrimEnd('/')}/{ManagePath}?token={token}";
    }

    /// <summary>A language that is not a plain tag is left out: the payload is '|'-separated and the page says lang="…".</summary>
    public string Sign(ContactManageToken token) => Signed(ContactManageVersion, string.Join(
        '|', token.LibraryId, token.AddressHash, token.Language is { } tag && LanguageTag().IsMatch(tag) ? tag : string.Empty,
        token.IssuedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), token.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

    /// <summary>Whether a token claims to be a contact self-service one (the signature is <see cref="ReadContactManage"/>'s to check).</summary>
    public static bool IsContactManageToken(string? token) => token?.StartsWith(ContactManageVersion + ".", StringComparison.Ordinal) == true;

    /// <summary>The token's content when signed by us and not expired (revocation is the caller's check); null for anything else.</summary>
    public ContactManageToken? ReadContactManage(string? token)
    {
        if (Verified(ContactManageVersion, token) is not { } payload
            || payload.Split('|') is not [var library, var hash, var language, var issuedText, var expiresText]
            || !long.TryParse(issuedText, NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires);
        return expiresAt <= Clock.GetUtcNow()
            ? null
            : new ContactManageToken(library, hash, language.Length == 0 ? null : language, DateTimeOffset.FromUnixTimeSeconds(issued), expiresAt);
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,35}$")]
    private static partial Regex LanguageTag();
}
