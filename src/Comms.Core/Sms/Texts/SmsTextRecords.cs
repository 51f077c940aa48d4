namespace Comms.Sms.Texts;

/// <summary>
/// One saved state of a library's SMS text for a scenario and language. Immutable once written; <see cref="Text"/> null
/// records a return to the shipped text, so the history shows it too.
/// </summary>
public sealed record SmsTextVersion
{
    public required string Scenario { get; init; }
    public required string Language { get; init; }
    public required int Version { get; init; }
    public string? Text { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Note { get; init; }
}

/// <summary>The head row: the latest version of one scenario and language, moved in the same transaction as each version is added.</summary>
public sealed record SmsTextHead
{
    public required string Scenario { get; init; }
    public required string Language { get; init; }
    public required int LatestVersion { get; init; }
    public string? Text { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// What staff read: the text the library sends for the scenario in this language (its own, else the shipped one), the
/// shipped one beside it, and which version is current (0: never saved).
/// </summary>
public sealed record SmsTextDetails(
    string Scenario, string Language, bool Custom, string Text, string DefaultText, int Version, DateTimeOffset? UpdatedAt);

public sealed record SmsTextList(IReadOnlyList<SmsTextDetails> Items);

public sealed record SmsTextVersionList(IReadOnlyList<SmsTextVersion> Items);

/// <summary>PUT body: the new text; the language defaults to the library's.</summary>
public sealed record SaveSmsTextRequest
{
    public string? Text { get; init; }
    public string? Language { get; init; }
}

/// <summary>POST …/rollback body: the version whose text becomes current again (as a new version).</summary>
public sealed record SmsTextRollbackRequest
{
    public int Version { get; init; }
    public string? Language { get; init; }
}

/// <summary>The text a send uses: the library's (its id and version for the log) or the shipped one (version 0).</summary>
public sealed record ResolvedSmsText(string TemplateId, int Version, string Text);
