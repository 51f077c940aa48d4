using System.ComponentModel.DataAnnotations;

namespace Comms.Preferences;

/// <summary>The patron-facing links in every optional notice (docs/preferences.md).</summary>
public sealed class PreferenceOptions : IValidatableObject
{
    public const string Section = "Comms:Preferences";

    /// <summary>
    /// Signs unsubscribe links (HMAC-SHA256 under a key derived from it). At least 32 characters; a Key Vault
    /// reference in Azure. Changing it makes every link already sent answer 403.
    /// </summary>
    [Required]
    [MinLength(32)]
    public string LinkKey { get; set; } = string.Empty;

    /// <summary>Where patrons reach the app from their mail client: the function app's public https address.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = string.Empty;

    /// <summary>How long an unsubscribe link works; a mailbox provider may press it weeks after delivery.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "400.00:00:00")]
    public TimeSpan UnsubscribeLinkLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long a self-service page link works; each notice carries a fresh one.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "400.00:00:00")]
    public TimeSpan ManageLinkLifetime { get; set; } = TimeSpan.FromDays(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.Query))
        {
            yield return new ValidationResult("Comms:Preferences:PublicBaseUrl must be the app's absolute http(s) address, without a query.", [nameof(PublicBaseUrl)]);
        }
    }
}
