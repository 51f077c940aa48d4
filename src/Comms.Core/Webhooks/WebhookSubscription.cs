namespace Comms.Webhooks;

/// <summary>A library's status webhook as stored: the endpoint and its signing secret, encrypted (never in clear).</summary>
public sealed record WebhookSubscription(string Url, string ProtectedSecret, DateTimeOffset CreatedAt);

/// <summary>What a library sends to register: its HTTPS endpoint.</summary>
public sealed record WebhookRequest(string? Url);

/// <summary>The webhook as the API shows it; <see cref="Secret"/> only in the answer that created it.</summary>
public sealed record WebhookView(string Url, DateTimeOffset CreatedAt, string? Secret = null);

/// <summary>
/// One status event on its way (the queue message): a stable id (the same event retried keeps it, so the library
/// system can drop repeats) and the CloudEvent's content, fixed when the event happened. Never a secret.
/// </summary>
public sealed record WebhookEvent(string Id, string LibraryId, string Type, string Subject, DateTimeOffset Time, NoticeEventData Data, DateTimeOffset FirstQueuedAt, int Attempt = 1);

/// <summary>The event's data: which notice, its new status and why, per recipient by ledger id.</summary>
public sealed record NoticeEventData(string NoticeId, string Scenario, string Status, string? Reason, string? PatronId, string? SupplierId, IReadOnlyList<Outbox.NoticeRecipientState> Recipients, string Href);
