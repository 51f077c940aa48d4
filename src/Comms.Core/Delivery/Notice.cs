using Comms.Contacts;
using Comms.Notices;
using Comms.Scenarios;

namespace Comms.Delivery;

/// <summary>
/// One notice ready to go: what the scheduler decided (library, scenario with its level, the loan or
/// reservation it is about, the date it is for) and what the renderer produced.
/// </summary>
public sealed record Notice
{
    public required string LibraryId { get; init; }

    /// <summary>The scenario with its escalation level ("escalation-2").</summary>
    public required ScenarioKey Scenario { get; init; }

    /// <summary>The record the notice is about: a loan, reservation, order or account id.</summary>
    public required string SubjectRecordId { get; init; }

    public string? PatronId { get; init; }

    /// <summary>The library-local date the notice is for; a re-run on the same date is the same notice.</summary>
    public required DateOnly ScheduledFor { get; init; }

    public required IReadOnlyList<NoticeRecipient> Recipients { get; init; }

    public required RenderedEmail Content { get; init; }

    public string? TemplateId { get; init; }

    /// <summary>The language the notice's template is written in: the engine's footer follows it (<see cref="Preferences.PreferenceTexts"/>).</summary>
    public string? Language { get; init; }

    /// <summary>The language the reader asked for (which the template may not be written in): a contact's self-service link carries it to the page.</summary>
    public string? ReaderLanguage { get; init; }

    public int? TemplateVersion { get; init; }

    /// <summary>
    /// A household, class or summary email to one contact address: when it lists several patrons (no
    /// <see cref="PatronId"/>), its unsubscribe link is the address's own, for every patron (ContactOptOuts).
    /// </summary>
    public bool IsContactDigest { get; init; }

    /// <summary>Sent from the test-send endpoint; logged as a test so reports can leave it out.</summary>
    public bool IsTest { get; init; }

    /// <summary>
    /// At most this many tries per provider (failover included) instead of Comms:Email:Retry:MaxAttempts: for a send a
    /// person waits on (a template test send), where a quick answer beats a long retry. Null: the configured count.
    /// </summary>
    public int? MaxProviderAttempts { get; init; }

    /// <summary>The outbox notice this send belongs to (immediate notices only); the email log links to its status.</summary>
    public string? OutboxNoticeId { get; init; }

    /// <summary>
    /// Set when the library's rules say not to send (scenario off, patron opted out, group excluded): every
    /// recipient is logged <c>Skipped</c> with this reason and nothing is claimed or sent.
    /// </summary>
    public string? SkipReason { get; init; }

    /// <summary>
    /// Set when the notice could not be rendered (the template exceeds the render budget): every recipient is
    /// logged <c>Failed</c> with this reason and nothing is claimed or sent.
    /// </summary>
    public string? FailReason { get; init; }
}

/// <summary>
/// A person the notice goes to; a contact without an address is logged as NoContact. <paramref name="Phone"/> (E.164) is
/// where the SMS fallback goes when the email cannot reach them, <paramref name="PostalAddress"/> what a printed notice
/// is addressed to, and <paramref name="Branch"/> the patron's branch, whose print batch it joins (docs/channels.md).
/// </summary>
public sealed record NoticeRecipient(
    string Name, string? Email, ContactRole? Role = null, string? PatronId = null, string? Phone = null, string? PostalAddress = null, string? Branch = null);
