using Comms.Common;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Sms;

/// <summary>What to preview: a scenario's shipped SMS text, or a draft of one, rendered from the scenario's sample facts.</summary>
public sealed record SmsPreviewRequest
{
    public required string Scenario { get; init; }

    /// <summary>A draft (Mustache, plain text, the scenario's variables); null: the text the library sends (its own, else the shipped one).</summary>
    public string? Text { get; init; }

    /// <summary>Dates and numbers in this language; default the library's.</summary>
    public string? Language { get; init; }
}

/// <summary>The text as a phone gets it, and what it costs on the wire: its encoding and segments.</summary>
public sealed record SmsPreviewResult(string Scenario, string Text, SmsEncoding Encoding, int Units, int Segments, int MaxSegments, bool FallsBackToSms);

/// <summary>Renders an SMS text for staff with the library's name and the scenario's sample facts; nothing is sent.</summary>
public sealed class SmsPreviewService(LibraryService libraries, Texts.SmsTextService texts, TemplateRenderer renderer, TimeProvider clock)
{
    /// <summary>A draft may be as long as a saved text (<see cref="Texts.SmsTextService.MaxLength"/>).</summary>
    public const int MaxDraftLength = Texts.SmsTextService.MaxLength;

    public async Task<SmsPreviewResult> PreviewAsync(string libraryId, SmsPreviewRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (!ScenarioKey.TryParse(request.Scenario, out var key))
        {
            errors.Add("scenario", $"'{request.Scenario}' is not a scenario key; GET /api/scenarios lists them.");
        }
        else if (request.Text is null && !SmsTemplates.Has(key.Scenario))
        {
            errors.Add("scenario", $"No SMS text is shipped for '{request.Scenario}'; SMS is offered for: {string.Join(", ", SmsTemplates.Scenarios.Select(ScenarioKey.Kebab))}.");
        }

        if (request.Language is not null)
        {
            Language.Validate(request.Language, "language", errors);
        }

        if (request.Text is { } draft)
        {
            if (draft.Length > MaxDraftLength)
            {
                errors.Add("text", $"At most {MaxDraftLength} characters.");
            }
            else if (errors.IsEmpty)
            {
                // The draft is checked as a template's text part: known variables of the scenario, no unsafe Mustache.
                TemplateValidator.Validate(new TemplateContent { Subject = "SMS", Html = "<p>SMS</p>", Text = draft }, [key], errors);
            }
        }

        errors.ThrowIfAny();
        var library = await libraries.GetAsync(libraryId, cancellationToken);
        var language = request.Language ?? library.DefaultLanguage;
        var model = SampleReaders.Model(key, clock.GetUtcNow(), library, language);
        var source = request.Text ?? (await texts.ResolveAsync(library, key, language, cancellationToken)).Text;
        RenderedSms sms;
        try
        {
            sms = SmsTemplates.Render(renderer, source, model);
        }
        catch (TemplateRenderLimitException e)
        {
            throw RequestValidationException.For("text", e.Message);
        }

        return new SmsPreviewResult(key.ToString(), sms.Text, sms.Length.Encoding, sms.Length.Units, sms.Length.Segments, SmsText.MaxSegments, ChannelChain.FallsBackToSms(library, key.Scenario));
    }
}
