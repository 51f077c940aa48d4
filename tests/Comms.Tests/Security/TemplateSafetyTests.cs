using System.Text.RegularExpressions;
using Comms.Scenarios;
using Comms.Templates;
using Comms.Tests.Infrastructure;
using MimeKit;
using Xunit.Abstractions;

namespace Comms.Tests.Security;

/// <summary>
/// Hostile text in every field a patron, contact, supplier, library or library system controls, for every
/// scenario in the catalogue, sent through the real dispatcher and read back from the bytes the providers
/// wrote (a pickup .eml, the DATA an SMTP relay received): the HTML body shows each value escaped and gains
/// no element or attribute, the text body shows it as it is, the subject is one line, and no value adds a
/// header, a recipient or an address.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed partial class TemplateSafetyTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private static readonly HashSet<string> AllowedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Reply-To", "Subject", "Date", "Message-Id", "MIME-Version", "Content-Type", "X-Comms-library", "X-Comms-scenario", "Bcc",
        "Auto-Submitted", "List-Unsubscribe", "List-Unsubscribe-Post",
    };

    /// <summary>Every scenario of the catalogue (escalation at level 1), so a new scenario is tested without editing this.</summary>
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var definition in ScenarioCatalogue.All)
        {
            data.Add(new ScenarioKey(definition.Scenario, definition.Scenario == Scenario.Escalation ? 1 : 0).ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Dispatch_HostileTextInEveryField_EscapedInHtmlVerbatimInTextAndNoHeaderAdded(string scenario)
    {
        Assert.True(ScenarioKey.TryParse(scenario, out var key));
        await using var notices = await HostileNotices.StartAsync(emulators, key);
        AssertEveryTextVariableIsAHostileField(notices);
        var tally = new Tally();

        for (var payload = 0; payload < HostileValues.Payloads.Count; payload++)
        {
            foreach (var route in HostileNotices.Routes)
            {
                var sent = await notices.DispatchAsync(route, payload);
                Assert.True(sent.Emails.Count == (sent.Household ? 1 : sent.Recipients.Count), $"{scenario} via {route.LibraryId}, payload {payload}: {sent.Emails.Count} messages written.");
                AssertAddressedAsPlanned(sent);
                foreach (var email in sent.Emails)
                {
                    var where = $"{scenario} via {route.LibraryId}, payload {payload}, {Path.GetFileName(email.Path)}";
                    AssertHeadersUninjected(sent, email, where, tally);
                    AssertFieldsSafe(notices, sent, email, HostileValues.Payloads[payload], where, tally);
                }

                tally.Dispatches++;
            }
        }

        output.WriteLine(
            $"{scenario}: {HostileValues.Payloads.Count} payloads x {HostileValues.All.Count} fields x {HostileNotices.Routes.Count} routes = " +
            $"{tally.Dispatches} dispatches, {tally.Messages} messages; field checks: {tally.EscapedInHtml} escaped in HTML, " +
            $"{tally.VerbatimInText} verbatim in text, {tally.OneLineInSubject} one-lined in the subject, {tally.Absent} absent where not shown, " +
            $"{tally.RawMarkupAbsent} raw markup absent; {tally.HeaderLines} raw header lines checked.");
    }

    /// <summary>
    /// A text variable added to the model must be either one of the hostile fields or formatted by the engine,
    /// so no new field escapes this test.
    /// </summary>
    private static void AssertEveryTextVariableIsAHostileField(HostileNotices notices)
    {
        var unclassified = notices.ScenarioPaths
            .Where(p => !HostileValues.FormattedByTheEngine.Contains(p) && !HostileValues.All.Any(f => f.Paths.Contains(p)))
            .ToList();
        Assert.True(unclassified.Count == 0, $"Add these variables to HostileValues (as a field or as engine-formatted): {string.Join(", ", unclassified)}");
    }

    private static void AssertAddressedAsPlanned(SentNotice sent)
    {
        IEnumerable<string> planned = sent.Household ? [sent.Library.FromAddress] : sent.Recipients;
        var to = sent.Emails.SelectMany(e => e.Message.To.Mailboxes).Select(m => m.Address);
        Assert.Equal(planned.Order(StringComparer.Ordinal), to.Order(StringComparer.Ordinal));
    }

    private static void AssertHeadersUninjected(SentNotice sent, RawEmail email, string where, Tally tally)
    {
        var message = email.Message;
        var names = email.HeaderNames();
        var bccKept = sent.Household && sent.Route.Provider == "Pickup";
        var injected = names.Where(n => !AllowedHeaders.Contains(n) || (!bccKept && n.Equals("Bcc", StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(injected.Count == 0, $"{where}: unexpected header lines {string.Join(" | ", injected)}\n{email.HeaderBlock}");
        // The unsubscribe pair is the engine's own (one signed link, or none): a value never adds or shapes it.
        var unsubscribe = names.Count(n => n.Equals("List-Unsubscribe", StringComparison.OrdinalIgnoreCase));
        Assert.True(unsubscribe <= 1 && names.Count(n => n.Equals("List-Unsubscribe-Post", StringComparison.OrdinalIgnoreCase)) == unsubscribe, $"{where}: unsubscribe headers\n{email.HeaderBlock}");
        Assert.All(
            message.Headers.Where(h => h.Field.Equals("List-Unsubscribe", StringComparison.OrdinalIgnoreCase)),
            h => Assert.Matches("^<https://comms\\.test/api/preferences/unsubscribe\\?token=u1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+>$", h.Value.Trim()));
        foreach (var (name, count) in new[] { ("From", 1), ("To", 1), ("Subject", 1), ("Date", 1), ("Message-Id", 1), ("Reply-To", sent.Route.Verified ? 0 : 1), ("Bcc", bccKept ? 1 : 0), ("Auto-Submitted", 1) })
        {
            Assert.True(names.Count(n => n.Equals(name, StringComparison.OrdinalIgnoreCase)) == count, $"{where}: expected {count} {name} header(s)\n{email.HeaderBlock}");
        }

        Assert.True(email.BareCarriageReturnsInHeaders() == 0, $"{where}: a bare CR in the headers");
        Assert.All(email.Headers(), h => Assert.False(h.Any(c => char.IsControl(c) && c != '\t'), $"{where}: control character in header '{h}'"));
        tally.HeaderLines += names.Count;

        // The addresses, as MimeKit reads them back, are exactly those planned: none came from a value.
        var from = Assert.Single(message.From.Mailboxes);
        Assert.Equal(sent.Route.Verified ? sent.Library.FromAddress : HostileNotices.PlatformSender, from.Address);
        string[] replyTo = sent.Route.Verified ? [] : [sent.Library.FromAddress];
        Assert.Equal(replyTo, message.ReplyTo.Mailboxes.Select(m => m.Address));
        Assert.Empty(message.Cc);
        IEnumerable<string> bcc = bccKept ? sent.Recipients : [];
        Assert.Equal(bcc.Order(StringComparer.Ordinal), message.Bcc.Mailboxes.Select(m => m.Address).Order(StringComparer.Ordinal));
        var mailboxes = message.From.Mailboxes.Concat(message.To.Mailboxes).Concat(message.Bcc.Mailboxes).Concat(message.ReplyTo.Mailboxes).ToList();
        Assert.All(mailboxes, m => Assert.False((m.Name ?? string.Empty).Any(c => c is '\r' or '\n'), $"{where}: display name '{m.Name}' has a line break"));
        Assert.DoesNotContain(mailboxes, m => m.Address.Contains("evil.example", StringComparison.OrdinalIgnoreCase));
        if (email.Envelope is { } envelope)
        {
            IEnumerable<string> relayed = sent.Household ? [sent.Library.FromAddress, .. sent.Recipients] : message.To.Mailboxes.Select(m => m.Address);
            Assert.Equal(relayed.Order(StringComparer.Ordinal), envelope.Order(StringComparer.Ordinal));
        }

        // One subject, on one line; and the MIME structure the provider built, not one a value cut short.
        Assert.Equal(1, message.Headers.Count(h => h.Id == HeaderId.Subject));
        Assert.DoesNotMatch(LineBreak(), message.Subject);
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
    }

    private static void AssertFieldsSafe(HostileNotices notices, SentNotice sent, RawEmail email, string payload, string where, Tally tally)
    {
        var template = notices.TemplateOf(sent.Route);
        var html = Lines(email.Message.HtmlBody);
        var text = Lines(email.Message.TextBody);
        var subject = email.Message.Subject ?? string.Empty;
        // A content-only template is framed in the library's layout, which shows the library's name (escaped like any value).
        var framed = !Comms.Layouts.EmailLayout.IsFullDocument(template.Html);
        var shownInHtml = framed
            ? TemplateVariables.Shown(template.Html, notices.ScenarioPaths).Append("library.name").ToHashSet(StringComparer.Ordinal)
            : TemplateVariables.Shown(template.Html, notices.ScenarioPaths);
        var shownInText = TemplateVariables.Shown(template.Text, notices.ScenarioPaths);
        var shownInSubject = TemplateVariables.Shown(template.Subject, notices.ScenarioPaths);

        var expectedSubject = sent.Route.EveryVariable ? ExpectedSubject(notices, sent, template.Subject, payload) : null;
        if (expectedSubject is not null)
        {
            Assert.Equal(expectedSubject, subject);
        }

        // Escaped data is text or an attribute value: the document has no element or attribute its template lacks.
        // The engine's own footer paragraph (preferences and, when optional, unsubscribe links) is the one addition allowed.
        var engineFooter = Comms.Delivery.MessageBuilder.FooterHtml("https://comms.test/x", "https://comms.test/y");
        // The layout's frame is the other: its elements are the neutral layout's (the test library sets none).
        var frame = framed ? Comms.Layouts.EmailLayout.Wrap(string.Empty, "t", "n", Comms.Layouts.LibraryLayout.Neutral, "en") : string.Empty;
        var added = HtmlShape.Tags(html).Except(HtmlShape.Tags(template.Html + engineFooter + frame)).ToList();
        Assert.True(added.Count == 0, $"{where}: elements or attributes not in the template: {string.Join(", ", added)}");
        Assert.Equal(0, HtmlShape.StrayOpenings(html));
        Assert.All(HtmlShape.Links(html), link => Assert.StartsWith("https://", link, StringComparison.Ordinal));

        // The engine's own links carry signed tokens, whose random letters can spell a field's tag ("k13"): the fields
        // are looked for in the body without them (the links themselves are checked above and in UnsubscribeHeaderTests).
        html = EngineLinks().Replace(html, "https://comms.test/");

        // The frame's title and article label repeat the subject, which is checked as the subject below.
        html = framed ? FrameTitles().Replace(html, string.Empty) : html;
        text = EngineLinks().Replace(text, "https://comms.test/");
        foreach (var field in HostileValues.All)
        {
            var value = field.ValueFor(payload);
            var escaped = HtmlEscaped(value);
            var paths = HostileValues.PathsOf(field, notices.SupplierScenario, sent.Household);
            var context = $"{where}, {field}";

            if (paths.Any(shownInHtml.Contains))
            {
                Assert.True(html.Contains(Lines(escaped), StringComparison.Ordinal), $"{context}: escaped form missing from the HTML");
                tally.EscapedInHtml++;
            }
            else
            {
                Assert.True(!html.Contains(field.Tag, StringComparison.Ordinal), $"{context}: shown in HTML where its template does not use it");
                tally.Absent++;
            }

            if (escaped != value)
            {
                Assert.True(!html.Contains(Lines(value), StringComparison.Ordinal), $"{context}: raw in the HTML");
                tally.RawMarkupAbsent++;
            }

            if (paths.Any(shownInText.Contains))
            {
                Assert.True(text.Contains(Lines(value), StringComparison.Ordinal), $"{context}: not verbatim in the text body");
                Assert.True(escaped == value || !text.Contains(Lines(escaped), StringComparison.Ordinal), $"{context}: HTML-escaped in the text body");
                tally.VerbatimInText++;
            }
            else
            {
                Assert.True(!text.Contains(field.Tag, StringComparison.Ordinal), $"{context}: shown in text where its template does not use it");
                tally.Absent++;
            }

            if (paths.Any(shownInSubject.Contains))
            {
                if (subject.Contains(OneLine(value), StringComparison.Ordinal))
                {
                    tally.OneLineInSubject++;
                }
                else
                {
                    // Only past the cap of a subject showing every variable, which was compared whole above.
                    Assert.True(expectedSubject is not null, $"{context}: not in the subject as one line: '{subject}'");
                }
            }
            else
            {
                Assert.True(!subject.Contains(field.Tag, StringComparison.Ordinal), $"{context}: in the subject where its template does not use it");
                tally.Absent++;
            }
        }

        AssertNotVacuous(notices, sent, shownInHtml, shownInText, where);
        tally.Messages++;
    }

    /// <summary>
    /// The checks above pass trivially for a field a template never shows, so each message must show the
    /// fields its template is for: the library, the reader, the scenario's main facts; and a template showing
    /// every variable must show every field its scenario has.
    /// </summary>
    private static void AssertNotVacuous(HostileNotices notices, SentNotice sent, IReadOnlySet<string> shownInHtml, IReadOnlySet<string> shownInText, string where)
    {
        var scenarioPaths = notices.ScenarioPaths;
        var required = sent.Route.EveryVariable
            ? HostileValues.All.Where(f => HostileValues.PathsOf(f, notices.SupplierScenario, sent.Household).Any(scenarioPaths.Contains)).ToList()
            : MainFields(notices.Key.Scenario, notices.SupplierScenario, sent.Household);
        foreach (var field in required)
        {
            var paths = HostileValues.PathsOf(field, notices.SupplierScenario, sent.Household);
            Assert.True(paths.Any(shownInHtml.Contains) && paths.Any(shownInText.Contains), $"{where}: the template does not show the {field}");
        }
    }

    private static List<HostileField> MainFields(Scenario scenario, bool supplierScenario, bool household)
    {
        var sections = ScenarioCatalogue.Get(scenario).Sections;
        var fields = new List<HostileField> { HostileValues.LibraryName };
        if (!(supplierScenario && household))
        {
            fields.Add(supplierScenario ? HostileValues.SupplierName : household ? HostileValues.PatronName : HostileValues.ContactName);
        }

        fields.AddRange(sections switch
        {
            _ when sections.HasFlag(ModelSections.Recall) => [HostileValues.RecallReason, HostileValues.LoanTitle],
            _ when sections.HasFlag(ModelSections.Items) => [HostileValues.LoanTitle, HostileValues.LoanAuthor, HostileValues.LoanBarcode],
            _ when sections.HasFlag(ModelSections.Reservation) => [HostileValues.ReservationTitle, HostileValues.PickupLocation],
            _ when sections.HasFlag(ModelSections.Order) => [HostileValues.OrderNumber, HostileValues.OrderLineTitle, HostileValues.DeliveryAddress],
            _ when sections.HasFlag(ModelSections.Reset) => [HostileValues.ResetLink],
            _ => [],
        });
        return fields;
    }

    /// <summary>
    /// The subject of a template showing every variable, worked out here: its values in template order (one
    /// element per list), spaces between, one line, and cut at the renderer's length with an ellipsis.
    /// </summary>
    private static string ExpectedSubject(HostileNotices notices, SentNotice sent, string subjectTemplate, string payload)
    {
        var values = TemplateVariables.InOrder(subjectTemplate, notices.ScenarioPaths).Select(path =>
            HostileValues.All.FirstOrDefault(f => HostileValues.PathsOf(f, notices.SupplierScenario, sent.Household).Contains(path))?.ValueFor(payload) ?? string.Empty);
        var line = OneLine(string.Join(' ', values));
        return line.Length <= TemplateRenderer.MaxSubjectLength ? line : string.Concat(line.AsSpan(0, TemplateRenderer.MaxSubjectLength - 1), "…");
    }

    /// <summary>The five characters HTML needs escaped, written here rather than taken from the code under test.</summary>
    private static string HtmlEscaped(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal);

    /// <summary>A subject's view of a value: every run of control characters, white space and line separators is one space.</summary>
    private static string OneLine(string value) => SubjectBreaks().Replace(value, " ").Trim();

    /// <summary>MIME bodies travel with CRLF or LF line ends; compare with one kind.</summary>
    private static string Lines(string? value) => (value ?? string.Empty).ReplaceLineEndings("\n");

    [GeneratedRegex(@"[\p{Cc}\s\u2028\u2029]+")]
    private static partial Regex SubjectBreaks();

    [GeneratedRegex(@"[\r\n]")]
    private static partial Regex LineBreak();

    private sealed class Tally
    {
        public int Dispatches { get; set; }
        public int Messages { get; set; }
        public int EscapedInHtml { get; set; }
        public int VerbatimInText { get; set; }
        public int OneLineInSubject { get; set; }
        public int Absent { get; set; }
        public int RawMarkupAbsent { get; set; }
        public int HeaderLines { get; set; }
    }

    [GeneratedRegex("<title>[^<]*</title>|aria-label=\"[^\"]*\"")]
    private static partial Regex FrameTitles();

    [System.Text.RegularExpressions.GeneratedRegex("https://comms\\.test/[^\"'\\s<>]*")]
    private static partial System.Text.RegularExpressions.Regex EngineLinks();
}
