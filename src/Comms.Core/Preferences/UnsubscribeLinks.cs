using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Comms.Common;
using Comms.Libraries;
using Comms.Scenarios;
using Microsoft.Extensions.Options;

namespace Comms.Preferences;

/// <summary>What a valid unsubscribe token says: this library's patron's contact (by address hash) turns this scenario off.</summary>
public sealed record UnsubscribeToken(string LibraryId, string PatronId, string AddressHash, Scenario Scenario, DateTimeOffset ExpiresAt);

/// <summary>
/// What a valid contact unsubscribe token says: this address, as a contact of any patron of this library (a household,
/// class or summary email lists several), turns this scenario off. No patron: the choice is the address's.
/// </summary>
public sealed record ContactUnsubscribeToken(string LibraryId, string AddressHash, Scenario Scenario, DateTimeOffset ExpiresAt);

/// <summary>What a valid self-service token says: this recipient of this patron's notices may see and change their choices.</summary>
public sealed record ManageToken(string LibraryId, string PatronId, string AddressHash, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Signed one-click unsubscribe links (RFC 8058). The token carries the library, patron, a hash of the recipient's
/// address (never the address: the URL may reach a proxy's log), the scenario and an expiry, signed with HMAC-SHA256
/// under a key derived from <see cref="PreferenceOptions.LinkKey"/>. It can do one thing only: turn one optional
/// scenario off for one recipient.
/// </summary>
public sealed partial class UnsubscribeLinks(IOptions<PreferenceOptions> options, TimeProvider clock)
{
    public const string Path = "api/preferences/unsubscribe";
    public const string ManagePath = "api/preferences/manage";
    private const string Version = "u1";
    private const string ManageVersion = "m1";
    private const string ContactVersion = "c1";

    // The other parts of this class (ContactManageLinks.cs) do not see the primary constructor's parameters.
    private PreferenceOptions Options => options.Value;

    private TimeProvider Clock => clock;

    private readonly byte[] _key = HKDF.DeriveKey(
        HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(options.Value.LinkKey), 32, info: Encoding.UTF8.GetBytes("comms-unsubscribe-link"));

    /// <summary>The link for one recipient of one notice, or null when the library makes the scenario mandatory.</summary>
    public string? LinkFor(Library library, Scenario scenario, string patronId, string address)
    {
        if (!MandatoryScenarios.MayTurnOff(library, scenario) || !EmailAddress.TryNormalize(address, out var normal))
        {
            return null;
        }

        var expires = clock.GetUtcNow() + options.Value.UnsubscribeLinkLifetime;
        var token = Sign(new UnsubscribeToken(library.Id, patronId, AddressHash(normal), scenario, expires));
        return $"{options.Value.PublicBaseUrl.TrimEnd('/')}/{Path}?token={token}";
    }

    /// <summary>
    /// The link of a contact email listing several patrons, or null when the library makes the scenario mandatory:
    /// its own version, so it can never pass for a patron's token, and it names no patron.
    /// </summary>
    public string? ContactLinkFor(Library library, Scenario scenario, string address)
    {
        if (!MandatoryScenarios.MayTurnOff(library, scenario) || !EmailAddress.TryNormalize(address, out var normal))
        {
            return null;
        }

        var token = Sign(new ContactUnsubscribeToken(library.Id, AddressHash(normal), scenario, clock.GetUtcNow() + options.Value.UnsubscribeLinkLifetime));
        return $"{options.Value.PublicBaseUrl.TrimEnd('/')}/{Path}?token={token}";
    }

    public string Sign(ContactUnsubscribeToken token) => Signed(ContactVersion, string.Join(
        '|', token.LibraryId, token.AddressHash, MandatoryScenarios.Name(token.Scenario), token.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

    /// <summary>Whether a token claims to be a contact one (the signature is <see cref="ReadContact"/>'s to check).</summary>
    public static bool IsContactToken(string? token) => token?.StartsWith(ContactVersion + ".", StringComparison.Ordinal) == true;

    /// <summary>The contact token's content when signed by us and not expired; null for anything else.</summary>
    public ContactUnsubscribeToken? ReadContact(string? token)
    {
        if (Verified(ContactVersion, token) is not { } payload
            || payload.Split('|') is not [var library, var hash, var scenarioName, var expiresText]
            || !MandatoryScenarios.TryParse(scenarioName, out var scenario)
            || !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return expires <= clock.GetUtcNow() ? null : new ContactUnsubscribeToken(library, hash, scenario, expires);
    }

    /// <summary>
    /// The self-service page's link for one recipient of a notice about one patron (every notice, mandatory or not):
    /// it expires, and the library can revoke every link of a patron (<see cref="PatronPreferences.LinksRevokedAt"/>).
    /// </summary>
    public string? ManageLinkFor(string libraryId, string patronId, string address)
    {
        if (!EmailAddress.TryNormalize(address, out var normal))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var token = Sign(new ManageToken(libraryId, patronId, AddressHash(normal), now, now + options.Value.ManageLinkLifetime));
        return $"{options.Value.PublicBaseUrl.TrimEnd('/')}/{ManagePath}?token={token}";
    }

    public string Sign(ManageToken token) => Signed(ManageVersion, string.Join(
        '|', token.LibraryId, token.PatronId, token.AddressHash,
        token.IssuedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), token.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

    /// <summary>The self-service token's content when signed by us and not expired (revocation is the caller's check).</summary>
    public ManageToken? ReadManage(string? token)
    {
        if (Verified(ManageVersion, token) is not { } payload
            || payload.Split('|') is not [var library, var patron, var hash, var issuedText, var expiresText]
            || !long.TryParse(issuedText, NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires);
        return expiresAt <= clock.GetUtcNow() ? null : new ManageToken(library, patron, hash, DateTimeOffset.FromUnixTimeSeconds(issued), expiresAt);
    }

    public string Sign(UnsubscribeToken token)
    {
        var payload = string.Join(
            '|', token.LibraryId, token.PatronId, token.AddressHash, MandatoryScenarios.Name(token.Scenario),
            token.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return Signed(Version, payload);
    }

    // The version is signed with the payload, so an unsubscribe token can never pass as a self-service one.
    private string Signed(string version, string payload)
    {
        var body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        return $"{version}.{body}.{Base64Url.EncodeToString(Mac(version + "." + body))}";
    }

    /// <summary>The payload of a token of this version whose signature is ours; null for anything else.</summary>
    private string? Verified(string version, string? token)
    {
        var parts = token?.Split('.');
        if (parts is not [var given, var body, var signature] || given != version || body.Length > 1000 || signature.Length > 100)
        {
            return null;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(Base64Url.DecodeFromChars(signature), Mac(version + "." + body))
                ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(body))
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The token's content when its signature is ours and it has not expired; null for anything else.</summary>
    public UnsubscribeToken? Read(string? token)
    {
        if (Verified(Version, token) is not { } payload)
        {
            return null;
        }

        if (payload.Split('|') is not [var library, var patron, var hash, var scenarioName, var expiresText]
            || !MandatoryScenarios.TryParse(scenarioName, out var scenario)
            || !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return expires <= clock.GetUtcNow() ? null : new UnsubscribeToken(library, patron, hash, scenario, expires);
    }

    /// <summary>Which of a patron's contacts a token means, without putting the address in the URL.</summary>
    public static string AddressHash(string address) =>
        EmailAddress.TryNormalize(address, out var normal)
            ? Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(EmailAddress.Key(normal))).AsSpan(0, 12))
            : string.Empty;

    private byte[] Mac(string body) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(body));
}
