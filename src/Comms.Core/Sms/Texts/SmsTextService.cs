using System.Globalization;
using Comms.Common;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Sms.Texts;

/// <summary>
/// A library's own SMS text per scenario and language, edited like an email template: validated in full before
/// anything is written, every save (and every return to the shipped text) an immutable version, rollback a new version
/// with an old one's text. Escalation levels have a text each ("escalation-2"), as email templates are used by level.
/// </summary>
public sealed class SmsTextService(SmsTextStore store, LibraryService libraries, TemplateRenderer renderer, TimeProvider clock)
{
    /// <summary>
    /// The source may be this long: six GSM-7 segments are 918 characters, and tags take room the rendered text does
    /// not (a list section repeats its line per item), so the bound sits above it; the rendered text is cut at six.
    /// </summary>
    public const int MaxLength = 2000;

    /// <summary>Every scenario with an SMS text, each level of the library's escalation ladder separately, in one language.</summary>
    public async Task<SmsTextList> ListAsync(string libraryId, string? language, CancellationToken cancellationToken = default)
    {
        var library = await libraries.GetAsync(libraryId, cancellationToken);
        var lang = LanguageOf(library, language);
        var heads = await store.ListHeadsAsync(libraryId, null, cancellationToken);
        var items = Keys(library)
            .Select(key => Details(key, lang, heads.FirstOrDefault(h => h.Scenario == key.ToString() && SameLanguage(h.Language, lang))))
            .ToList();
        return new SmsTextList(items);
    }

    public async Task<SmsTextDetails> GetAsync(string libraryId, string scenario, string? language, CancellationToken cancellationToken = default)
    {
        var (library, key, lang) = await ParseAsync(libraryId, scenario, language, cancellationToken);
        var head = await store.GetHeadAsync(library.Id, key.ToString(), lang, cancellationToken);
        return Details(key, lang, head?.Head);
    }

    public async Task<SmsTextDetails> SaveAsync(string libraryId, string scenario, SaveSmsTextRequest request, CancellationToken cancellationToken = default)
    {
        var (library, key, lang) = await ParseAsync(libraryId, scenario, request.Language, cancellationToken);
        Validate(library, key, request.Text, "text");
        return await AppendAsync(library, key, lang, request.Text, "Edited.", cancellationToken);
    }

    /// <summary>Back to the shipped text: a version without text, so the history says when and the next save continues the numbering.</summary>
    public async Task<SmsTextDetails> RevertAsync(string libraryId, string scenario, string? language, CancellationToken cancellationToken = default)
    {
        var (library, key, lang) = await ParseAsync(libraryId, scenario, language, cancellationToken);
        var head = await store.GetHeadAsync(library.Id, key.ToString(), lang, cancellationToken);
        return head is null || head.Value.Head.Text is null
            ? Details(key, lang, head?.Head)
            : await AppendAsync(library, key, lang, null, "Back to the shipped text.", cancellationToken);
    }

    public async Task<SmsTextDetails> RollbackAsync(string libraryId, string scenario, SmsTextRollbackRequest request, CancellationToken cancellationToken = default)
    {
        var (library, key, lang) = await ParseAsync(libraryId, scenario, request.Language, cancellationToken);
        var old = await store.GetVersionAsync(library.Id, key.ToString(), lang, request.Version, cancellationToken)
            ?? throw RequestValidationException.For("version", $"The SMS text of '{key}' in '{lang}' has no version {request.Version}.");

        // The old text is checked again: the library's ladder or the catalogue may have changed since.
        if (old.Text is not null)
        {
            Validate(library, key, old.Text, "version");
        }

        return await AppendAsync(library, key, lang, old.Text, $"Rolled back to version {request.Version.ToString(CultureInfo.InvariantCulture)}.", cancellationToken);
    }

    public async Task<SmsTextVersionList> ListVersionsAsync(string libraryId, string scenario, string? language, CancellationToken cancellationToken = default)
    {
        var (library, key, lang) = await ParseAsync(libraryId, scenario, language, cancellationToken);
        var versions = await store.ListVersionsAsync(library.Id, key.ToString(), lang, cancellationToken);
        return new SmsTextVersionList([.. versions.OrderByDescending(v => v.Version)]);
    }

    /// <summary>
    /// The text to send: the library's for the scenario in the reader's language (then its language without region,
    /// then the library's default language), else the shipped one.
    /// </summary>
    public async Task<ResolvedSmsText> ResolveAsync(Library library, ScenarioKey key, string? readerLanguage, CancellationToken cancellationToken = default)
    {
        var heads = (await store.ListHeadsAsync(library.Id, key.ToString(), cancellationToken)).Where(h => h.Text is not null).ToList();
        foreach (var wanted in TemplateResolver.LanguagesToTry(readerLanguage, library.DefaultLanguage))
        {
            if (heads.FirstOrDefault(h => SameLanguage(h.Language, wanted)) is { } head)
            {
                return new ResolvedSmsText(TemplateIdFor(key, head.Language), head.LatestVersion, head.Text!);
            }
        }

        return new ResolvedSmsText(DefaultIdFor(key), 0, SmsTemplates.DefaultFor(key.Scenario));
    }

    /// <summary>How the email log names a shipped SMS text.</summary>
    public static string DefaultIdFor(ScenarioKey key) => "sms-default:" + ScenarioKey.Kebab(key.Scenario);

    /// <summary>How the email log names a library's SMS text.</summary>
    public static string TemplateIdFor(ScenarioKey key, string language) => $"sms:{key}:{language}";

    private async Task<SmsTextDetails> AppendAsync(Library library, ScenarioKey key, string language, string? text, string note, CancellationToken cancellationToken)
    {
        var current = await store.GetHeadAsync(library.Id, key.ToString(), language, cancellationToken);
        var now = clock.GetUtcNow();
        var head = new SmsTextHead
        {
            Scenario = key.ToString(),
            Language = language,
            LatestVersion = (current?.Head.LatestVersion ?? 0) + 1,
            Text = text,
            UpdatedAt = now,
        };
        var version = new SmsTextVersion { Scenario = head.Scenario, Language = language, Version = head.LatestVersion, Text = text, CreatedAt = now, Note = note };
        if (!await store.TryAppendAsync(library.Id, head, current?.ETag, version, cancellationToken))
        {
            throw new ConflictException($"The SMS text of '{key}' in '{language}' was changed by someone else; load it again and reapply your change.");
        }

        return Details(key, language, head);
    }

    /// <summary>What the preview checks of a draft, and a render with the sample facts within the render budget.</summary>
    private void Validate(Library library, ScenarioKey key, string? text, string field)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, "Required: the text to send. To go back to the shipped text, DELETE it.");
        }
        else if (text.Length > MaxLength)
        {
            errors.Add(field, $"At most {MaxLength} characters.");
        }
        else
        {
            // The text part's rules: known variables of the scenario, no partials or set-delimiter tags, bounded nesting.
            TemplateValidator.Validate(new TemplateContent { Subject = "SMS", Html = "<p>SMS</p>", Text = text }, [key], errors);
        }

        errors.ThrowIfAny("The SMS text is not valid; nothing was saved.");
        try
        {
            SmsTemplates.Render(renderer, text!, SampleReaders.Model(key, clock.GetUtcNow(), library, library.DefaultLanguage));
        }
        catch (TemplateRenderLimitException e)
        {
            throw RequestValidationException.For(field, e.Message);
        }
    }

    private async Task<(Library Library, ScenarioKey Key, string Language)> ParseAsync(
        string libraryId, string scenario, string? language, CancellationToken cancellationToken)
    {
        var library = await libraries.GetAsync(libraryId, cancellationToken);
        var errors = new ValidationErrors();
        var key = ParseScenario(library, scenario, errors);
        if (language is not null)
        {
            Language.Validate(language, "language", errors);
        }

        errors.ThrowIfAny();
        return (library, key, LanguageOf(library, language));
    }

    /// <summary>A scenario key with a shipped SMS text, and an escalation level the library's ladder has.</summary>
    internal static ScenarioKey ParseScenario(Library library, string? scenario, ValidationErrors errors)
    {
        if (!ScenarioKey.TryParse(scenario, out var key))
        {
            errors.Add("scenario", $"'{scenario}' is not a scenario key; GET /api/scenarios lists them.");
        }
        else if (!SmsTemplates.Has(key.Scenario))
        {
            errors.Add("scenario", $"'{scenario}' has no SMS text; SMS is offered for: {string.Join(", ", SmsTemplates.Scenarios.Select(ScenarioKey.Kebab))}.");
        }
        else if (key.Scenario == Scenario.Escalation && key.Level > library.Timing.EscalationDaysAfterDue.Count)
        {
            errors.Add("scenario", $"This library has {library.Timing.EscalationDaysAfterDue.Count} escalation levels; '{scenario}' is never sent.");
        }

        return key;
    }

    private static IEnumerable<ScenarioKey> Keys(Library library) =>
        SmsTemplates.Scenarios.OrderBy(s => s).SelectMany(s => s == Scenario.Escalation
            ? Enumerable.Range(1, library.Timing.EscalationDaysAfterDue.Count).Select(level => new ScenarioKey(s, level))
            : [new ScenarioKey(s)]);

    /// <summary>The language as the runtime names it ("en-gb" → "en-GB"); the library's default when none is given.</summary>
    private static string LanguageOf(Library library, string? language) =>
        CultureInfo.GetCultureInfo(language ?? library.DefaultLanguage, predefinedOnly: true).Name;

    private static bool SameLanguage(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static SmsTextDetails Details(ScenarioKey key, string language, SmsTextHead? head)
    {
        var shipped = SmsTemplates.DefaultFor(key.Scenario);
        return new SmsTextDetails(key.ToString(), language, head?.Text is not null, head?.Text ?? shipped, shipped, head?.LatestVersion ?? 0, head?.UpdatedAt);
    }
}
