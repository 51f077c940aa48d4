namespace Comms.Webhooks;

/// <summary>Status webhooks to the library system (docs/api.md, "Status webhooks").</summary>
public sealed class WebhookOptions
{
    public const string Section = "Comms:Webhooks";

    /// <summary>The storage queue the webhook sender listens on; each event is one message, retried by re-queueing.</summary>
    [System.ComponentModel.DataAnnotations.RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string QueueName { get; set; } = "notice-events";

    /// <summary>
    /// Only for local development and tests: accept http:// endpoints on the loopback address. Off in Azure, so a
    /// library can never make the app call an internal address in clear.
    /// </summary>
    public bool AllowLoopbackHttp { get; set; }

    /// <summary>How long an event is retried before it is dropped (logged).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);
}
