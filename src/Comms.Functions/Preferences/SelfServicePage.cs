using System.Globalization;
using System.Net;
using System.Text;
using Comms.Functions.Http;
using Comms.Preferences;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Comms.Functions.Preferences;

/// <summary>
/// The patron's preferences page, rendered on the server: a real form of labelled checkboxes in a fieldset (keyboard
/// and screen readers need nothing more), mandatory notices shown checked and disabled with the reason, a viewport for
/// phones, and no script, no style sheet and no external resource but the library's own brand (one hashed style block
/// and its logo's origin, <see cref="PatronPageBranding"/>), plus a form that may only post back here. Every value from the library or the patron is HTML-encoded. The engine's words come
/// in the reader's language where it has them (<see cref="PreferenceTexts"/>), and <c>lang</c> names the one used.
/// </summary>
public static class SelfServicePage
{
    public const string ContentSecurityPolicy = UnsubscribePage.ContentSecurityPolicy;

    /// <param name="brand">The library's layout for the page (<see cref="PatronPageBranding"/>); none for a link that did not verify.</param>
    public static IActionResult For(SelfServiceView view, string token, HttpRequest request, PageBrand? brand = null)
    {
        UnsubscribePage.Secure(request.HttpContext.Response.Headers, PatronPageBranding.Policy(ContentSecurityPolicy, brand));
        var (language, t) = PreferenceTexts.For(view.Language);
        if (view.Outcome is SelfServiceOutcome.Refused or SelfServiceOutcome.Gone)
        {
            var (status, title, text) = view.Outcome == SelfServiceOutcome.Refused ? (403, t.RefusedTitle, t.ManageRefused) : (404, t.GoneTitle, t.Gone);
            return UnsubscribePage.WantsHtml(request)
                ? UnsubscribePage.Page(status, WebUtility.HtmlEncode(title), $"<p>{WebUtility.HtmlEncode(text)}</p>", language)
                : Problems.Problem(status, title, text + " Nothing was changed.");
        }

        var library = WebUtility.HtmlEncode(view.LibraryName);
        string Say(string text, string? second = null) => string.Format(CultureInfo.InvariantCulture, WebUtility.HtmlEncode(text), library, second);
        var body = new StringBuilder();
        body.Append(CultureInvariant($"<p>{(view.ForContactAddress ? Say(t.ContactManageHello) : Say(t.ManageHello, WebUtility.HtmlEncode(view.ReaderName)))}</p>\n"));
        if (view.Outcome == SelfServiceOutcome.Saved)
        {
            body.Append(CultureInvariant($"<p role=\"status\"><strong>{Say(t.ManageSaved)}</strong></p>\n"));
        }
        else if (view.Outcome == SelfServiceOutcome.Invalid)
        {
            body.Append(CultureInvariant($"<p role=\"alert\"><strong>{Say(t.ManageInvalid)}</strong></p>\n"));
        }

        body.Append(CultureInvariant($"<form method=\"post\" action=\"?token={WebUtility.UrlEncode(token)}\">\n<fieldset>\n<legend>{Say(t.ManageLegend)}</legend>\n"));
        foreach (var item in view.Switches!)
        {
            var id = "s-" + item.Name;
            var hint = item.Mandatory ? t.ManageAlwaysSent : item.Description;
            body.Append(CultureInvariant($"""
                <p><input type="checkbox" id="{id}" name="on" value="{item.Name}"{(item.On ? " checked" : string.Empty)}{(item.Mandatory ? " disabled" : string.Empty)} aria-describedby="{id}-hint">
                <label for="{id}">{WebUtility.HtmlEncode(item.Title)}</label>
                <br><small id="{id}-hint">{WebUtility.HtmlEncode(hint)}</small></p>

                """));
        }

        body.Append("</fieldset>\n");
        if (view.CourtesyDays is { } courtesy)
        {
            body.Append(CourtesyDaysField(courtesy, t, view.Errors));
        }

        if (view.Delivery is { } delivery)
        {
            body.Append(DeliveryField(delivery, t, view.Errors?.GetValueOrDefault("delivery")));
        }

        if (view.LanguageOptions.Count > 0)
        {
            body.Append(LanguageField(view, t));
        }

        body.Append(CultureInvariant($"<input type=\"hidden\" name=\"save\" value=\"1\">\n<button type=\"submit\">{Say(t.ManageSave)}</button>\n</form>\n"));
        return UnsubscribePage.Page(view.Outcome == SelfServiceOutcome.Invalid ? 400 : 200, Say(t.ManageTitle), body.ToString(), language, brand);
    }

    /// <summary>Two native radios in a fieldset: a legend names the group for a screen reader.</summary>
    private static string DeliveryField(NoticeDelivery delivery, PreferenceTexts t, string[]? errors)
    {
        string Radio(NoticeDelivery value, string label) => CultureInvariant($"""
            <p><input type="radio" id="d-{PreferenceValidator.DeliveryName(value)}" name="delivery" value="{PreferenceValidator.DeliveryName(value)}"{(value == delivery ? " checked" : string.Empty)}>
            <label for="d-{PreferenceValidator.DeliveryName(value)}">{WebUtility.HtmlEncode(label)}</label></p>

            """);

        var error = errors is { Length: > 0 } ? $"<p><small>{WebUtility.HtmlEncode(string.Join(" ", errors))}</small></p>\n" : string.Empty;
        return $"<fieldset>\n<legend>{WebUtility.HtmlEncode(t.DeliveryLegend)}</legend>\n" + error
            + Radio(NoticeDelivery.Digest, t.DeliveryDigest)
            + Radio(NoticeDelivery.PerItem, t.DeliveryPerItem)
            + "</fieldset>\n";
    }

    /// <summary>
    /// A select of the days the library allows (a select cannot hold a value outside them; a crafted post is refused
    /// with the message tied to the field by <c>aria-describedby</c>).
    /// </summary>
    private static string CourtesyDaysField(SelfServiceCourtesyDays courtesy, PreferenceTexts t, IReadOnlyDictionary<string, string[]>? errors)
    {
        var field = new StringBuilder();
        var error = errors?.GetValueOrDefault(CourtesyDays.Field) is { Length: > 0 } messages ? string.Join(" ", messages) : null;
        field.Append(CultureInvariant($"<p><label for=\"days\">{WebUtility.HtmlEncode(t.DaysLabel)}</label>\n<br><select id=\"days\" name=\"preOverdueDaysBefore\" aria-describedby=\"days-hint\""));
        field.Append(error is null ? ">\n" : " aria-invalid=\"true\">\n");
        for (var days = courtesy.Min; days <= courtesy.Max; days++)
        {
            field.Append(CultureInvariant($"<option value=\"{days}\"{(days == courtesy.Days ? " selected" : string.Empty)}>{days}</option>\n"));
        }

        var hint = error ?? string.Format(CultureInfo.InvariantCulture, t.DaysHint, courtesy.Min, courtesy.Max);
        field.Append(CultureInvariant($"</select>\n<br><small id=\"days-hint\">{WebUtility.HtmlEncode(hint)}</small></p>\n"));
        return field.ToString();
    }

    /// <summary>The address's language: the library's choice (empty), or one of the languages offered, each named in itself.</summary>
    private static string LanguageField(SelfServiceView view, PreferenceTexts t)
    {
        var error = view.Errors?.GetValueOrDefault("language") is { Length: > 0 } messages ? string.Join(" ", messages) : null;
        var field = new StringBuilder();
        field.Append(CultureInvariant($"<p><label for=\"language\">{WebUtility.HtmlEncode(t.LanguageLabel)}</label>\n<br><select id=\"language\" name=\"language\" aria-describedby=\"language-hint\"{(error is null ? string.Empty : " aria-invalid=\"true\"")}>\n"));
        field.Append(CultureInvariant($"<option value=\"\"{(view.LanguageChoice is null ? " selected" : string.Empty)}>{WebUtility.HtmlEncode(t.LanguageLibrarys)}</option>\n"));
        foreach (var option in view.LanguageOptions)
        {
            var selected = string.Equals(option, view.LanguageChoice, StringComparison.OrdinalIgnoreCase) ? " selected" : string.Empty;
            field.Append(CultureInvariant($"<option value=\"{WebUtility.HtmlEncode(option)}\" lang=\"{WebUtility.HtmlEncode(option)}\"{selected}>{WebUtility.HtmlEncode(NativeName(option))}</option>\n"));
        }

        field.Append(CultureInvariant($"</select>\n<br><small id=\"language-hint\">{WebUtility.HtmlEncode(error ?? t.LanguageHint)}</small></p>\n"));
        return field.ToString();
    }

    // "Cymraeg (cy-GB)": a reader finds their language by its own name; the tag tells two regions apart.
    private static string NativeName(string tag)
    {
        try
        {
            var culture = CultureInfo.GetCultureInfo(tag);
            return $"{culture.TextInfo.ToTitleCase(culture.NativeName)} ({tag})";
        }
        catch (CultureNotFoundException)
        {
            return tag;
        }
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
