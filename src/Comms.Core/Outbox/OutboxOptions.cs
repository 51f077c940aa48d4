using System.ComponentModel.DataAnnotations;

namespace Comms.Outbox;

/// <summary>The durable outbox of immediate notices (docs/delivery.md, "The outbox").</summary>
public sealed class OutboxOptions
{
    public const string Section = "Comms:Outbox";

    /// <summary>
    /// The storage queue the delivery function listens on (in the AzureWebJobsStorage account). Tests give each
    /// host its own so hosts sharing one emulator never take each other's notices.
    /// </summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string QueueName { get; set; } = "notice-outbox";

    /// <summary>
    /// Encrypts the stored notice data (a reset link must survive until the background send, but never sit in a
    /// row in clear). At least 32 characters; a Key Vault reference in Azure. Changing it makes notices still
    /// queued under the old key fail with "could not be read".
    /// </summary>
    [Required]
    [MinLength(32)]
    public string ProtectionKey { get; set; } = string.Empty;

    /// <summary>How long a notice without its own deadline (a receipt, an order) is retried before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The wait before the second attempt; it doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A reset link with less validity left than this is not attempted: it could arrive dead. Longer than one
    /// attempt can take (five provider tries with their timeouts and backoff), so no attempt ends after the expiry.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MinLinkValidity { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long one delivery attempt holds a notice. A worker that died mid-attempt leaves the notice "sending";
    /// after the lease the next message takes it over (the ledger still sends nothing twice).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:30:00")]
    public TimeSpan AttemptLease { get; set; } = TimeSpan.FromMinutes(3);
}
