using Comms.Common;
using Comms.Contacts;
using Comms.Layouts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>Shows staff exactly what a reader would get. Renders only: nothing is sent or logged.</summary>
public sealed class TemplatePreviewService(
    TemplateStore store,
    LibraryStore libraries,
    PatronStore patrons,
    TemplateRenderer renderer,
    LayoutStore layouts,
    TimeProvider clock)
{
    public async Task<PreviewResult> PreviewAsync(string libraryId, PreviewRequest request, CancellationToken cancellationToken = default)
    {
        var rendered = await RenderAsync(libraryId, request, cancellationToken);
        var email = rendered.Email;
        // Without the engine's footer mark: a preview shows no reader's links (MessageBuilder adds them when sending).
        var html = Delivery.MessageBuilder.PlaceFooter(email.Html, string.Empty);
        return new PreviewResult(rendered.Scenario, rendered.TemplateId, rendered.Version, email.Subject, html, email.Text);
    }

    /// <summary>The preview as the renderer made it, with its redacted copy (<see cref="RenderedEmail.ForLog"/>), for a test send.</summary>
    public async Task<RenderedPreview> RenderAsync(string libraryId, PreviewRequest request, CancellationToken cancellationToken = default)
    {
        var library = await libraries.GetAsync(libraryId, cancellationToken)
            ?? throw new NotFoundException($"Library '{libraryId}' was not found.");
        var (content, templateKey, templateId, version, templateLanguage) = await TemplateOfAsync(library, request, cancellationToken);
        var key = templateKey.Scenario;

        var errors = new ValidationErrors();
        if (request.Data is not null)
        {
            TemplateDataValidator.Validate(request.Data, errors);
        }

        if (request.Language is not null)
        {
            Language.Validate(request.Language, "language", errors);
        }

        var draftLayout = request.Layout is null ? null : LayoutValidator.Check(request.Layout, clock.GetUtcNow(), errors, "layout");
        errors.ThrowIfAny();
        var layout = draftLayout ?? await layouts.GetAsync(libraryId, cancellationToken) ?? LibraryLayout.Neutral;

        var patron = request.PatronId is null ? null : await GetPatronAsync(libraryId, request.PatronId, cancellationToken);
        var now = clock.GetUtcNow();
        var data = WithSamples(request.Data, ScenarioCatalogue.Get(key.Scenario).SampleData(now));
        var model = TemplateModelBuilder.Build(
            key,
            library,
            request.Language ?? patron?.PreferredLanguage ?? library.DefaultLanguage,
            patron is null ? SampleReaders.Patron : TemplateModelBuilder.PatronOf(patron),
            RecipientFor(key, patron, data),
            data,
            now,
            templateKey.Shape);
        RenderedEmail email;
        try
        {
            email = renderer.Render(content, model, layout, templateLanguage ?? request.Language ?? library.DefaultLanguage);
        }
        catch (TemplateRenderLimitException e)
        {
            throw RequestValidationException.For(request.Draft is null ? "templateId" : "draft", e.Message);
        }

        return new RenderedPreview(templateKey.ToString(), templateId, version, email);
    }

    private async Task<(TemplateContent Content, TemplateKey Key, string? TemplateId, int? Version, string? Language)> TemplateOfAsync(
        Library library, PreviewRequest request, CancellationToken cancellationToken)
    {
        if ((request.TemplateId is null) == (request.Draft is null))
        {
            throw RequestValidationException.For("body", "Send either templateId or draft (exactly one).");
        }

        if (request.Draft is { } draft)
        {
            var key = ParseScenario(request.Scenario, allowed: null);
            var errors = new ValidationErrors();
            var prepared = ContentMode.PrepareAndValidate(draft, [key.Scenario], errors, "draft");
            errors.ThrowIfAny("The draft is not valid.");
            return (prepared, key, null, null, null);
        }

        var templateId = request.TemplateId!;
        if (templateId.StartsWith(DefaultTemplates.IdPrefix, StringComparison.Ordinal))
        {
            var key = ParseScenario(templateId[DefaultTemplates.IdPrefix.Length..], allowed: null, field: "templateId");
            return (DefaultTemplates.For(key), key, DefaultTemplates.IdFor(key), 0, DefaultTemplates.Language);
        }

        var head = await store.GetAsync(library.Id, templateId, cancellationToken)
            ?? throw new NotFoundException($"Template '{templateId}' was not found.");
        var number = request.Version ?? head.Summary.LatestVersion;
        var saved = await store.GetVersionAsync(library.Id, templateId, number, cancellationToken)
            ?? throw new NotFoundException($"Template '{templateId}' has no version {number}.");
        var usedBy = ParseScenario(request.Scenario ?? saved.UsedBy[0], allowed: saved.UsedBy);
        return (saved.Content, usedBy, templateId, number, saved.Language);
    }

    private static TemplateKey ParseScenario(string? value, IReadOnlyList<string>? allowed, string field = "scenario")
    {
        if (value is null)
        {
            throw RequestValidationException.For(field, "Name the scenario whose model to use, for example 'overdue'.");
        }

        if (!TemplateKey.TryParse(value, out var key))
        {
            throw RequestValidationException.For(field, $"'{value}' is not a scenario key (or a ladder step with a contact shape, 'overdue:class'); GET /api/scenarios lists them.");
        }

        if (allowed is not null && !allowed.Contains(key.ToString(), StringComparer.Ordinal))
        {
            throw RequestValidationException.For(field, $"This template is used by {string.Join(", ", allowed)}, not '{value}'.");
        }

        return key;
    }

    private async Task<Patron> GetPatronAsync(string libraryId, string patronId, CancellationToken cancellationToken) =>
        (Storage.TableKeys.IsValidId(patronId) ? await patrons.GetAsync(libraryId, patronId, cancellationToken) : null)
        ?? throw new NotFoundException($"Patron '{patronId}' was not found.");

    /// <summary>The patron's own contact reads the preview; a supplier order goes to the supplier.</summary>
    private static RecipientModel RecipientFor(ScenarioKey key, Patron? patron, TemplateData data)
    {
        if (key.Scenario == Scenario.SupplierOrder)
        {
            return SampleReaders.SupplierRecipient(data.Order?.SupplierName);
        }

        if (patron is null)
        {
            return SampleReaders.Recipient;
        }

        var contact = patron.Contacts.FirstOrDefault(c => c.Active && c.Role == ContactRole.Patron)
            ?? patron.Contacts.FirstOrDefault(c => c.Active);
        return contact is null ? new RecipientModel(patron.Name, TemplateModelBuilder.Role(ContactRole.Patron)) : TemplateModelBuilder.RecipientOf(contact);
    }

    private static TemplateData WithSamples(TemplateData? given, TemplateData sample) => new()
    {
        Items = given?.Items ?? sample.Items,
        Reservation = given?.Reservation ?? sample.Reservation,
        Order = given?.Order ?? sample.Order,
        Reset = given?.Reset ?? sample.Reset,
        Recall = given?.Recall ?? sample.Recall,
        Patrons = given?.Patrons ?? sample.Patrons,
        Charges = given?.Charges ?? sample.Charges,
        Renewals = given?.Renewals ?? sample.Renewals,
        Card = given?.Card ?? sample.Card,
    };
}
