using System.Net;
using System.Net.Http.Json;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;

namespace Comms.Tests.Layouts;

/// <summary>
/// Sent for real (dev host, outbox, pickup .eml): a notice from a content-only template arrives framed once in the
/// library's layout with the engine's preferences and unsubscribe links exactly once, inside the frame; a library's
/// whole-document template arrives as it was written, unframed, with those links once as before.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class LayoutSendTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task Welcome_FromTheDefault_IsFramedOnceWithTheEngineFooterOnceInsideIt()
    {
        var (host, client, libraryId) = await StartAsync();
        using var put = await client.PutAsJsonAsync($"/api/libraries/{libraryId}/layout", new
        {
            brandColour = "#1f2933",
            brandTextColour = "#ffffff",
            linkColour = "#1a56db",
            logoUrl = "https://cdn.example.org/logo.png",
            footerText = "Open every day",
            address = "1 River Street",
        });
        put.EnsureSuccessStatusCode();

        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/patrons/p1/welcome", null, HttpStatusCode.Accepted);

        var messages = await host.OutboxAsync(libraryId);
        Assert.NotEmpty(messages);
        Assert.All(messages, m =>
        {
            var html = m.HtmlBody!;
            Assert.Equal(1, Count(html, "<!DOCTYPE"));
            Assert.Equal(1, Count(html, "<body"));
            Assert.Equal(1, Count(html, "Your email preferences"));
            Assert.Equal(1, Count(html, "Unsubscribe</a>"));
            Assert.Equal(0, Count(html, "<!--"));
            Assert.Contains("<img src=\"https://cdn.example.org/logo.png\"", html, StringComparison.Ordinal);
            Assert.True(html.IndexOf("1 River Street", StringComparison.Ordinal) < html.IndexOf("Your email preferences", StringComparison.Ordinal));
            Assert.Equal(1, Count(m.TextBody!, "Your email preferences"));
            Assert.True(m.TextBody!.IndexOf("Open every day", StringComparison.Ordinal) < m.TextBody!.IndexOf("Your email preferences", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task Welcome_FromAWholeDocumentTemplate_IsSentAsWrittenNotFramedTwice()
    {
        var (host, client, libraryId) = await StartAsync();
        using var put = await client.PutAsJsonAsync($"/api/libraries/{libraryId}/layout", new { brandColour = "#1f2933", brandTextColour = "#ffffff", linkColour = "#1a56db", footerText = "Layout footer" });
        put.EnsureSuccessStatusCode();
        var created = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/templates", new { copyFrom = "default:welcome", name = "Old style" }, HttpStatusCode.Created);
        var id = created.GetProperty("template").GetProperty("id").GetString();
        using var saved = await client.PutAsJsonAsync($"/api/libraries/{libraryId}/templates/{id}", new
        {
            name = "Old style",
            active = true,
            usedBy = new[] { "welcome" },
            language = "en",
            subject = "Welcome, {{patron.name}}",
            html = "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Welcome</title></head><body><p>Hello {{patron.name}}</p></body></html>",
            text = "Hello {{patron.name}}",
        });
        saved.EnsureSuccessStatusCode();

        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/patrons/p1/welcome", null, HttpStatusCode.Accepted);

        var messages = await host.OutboxAsync(libraryId);
        Assert.NotEmpty(messages);
        Assert.All(messages, m =>
        {
            Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\"><head><title>Welcome</title></head><body><p>Hello Patron p1</p><p style=", m.HtmlBody, StringComparison.Ordinal);
            Assert.Equal(1, Count(m.HtmlBody!, "Your email preferences"));
            Assert.DoesNotContain("Layout footer", m.HtmlBody, StringComparison.Ordinal);
            Assert.DoesNotContain("Layout footer", m.TextBody, StringComparison.Ordinal);
        });
    }

    private static int Count(string text, string part) => text.Split(part).Length - 1;

    private async Task<(EndToEndHost Host, HttpClient Client, string LibraryId)> StartAsync()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = $"lay-{Guid.NewGuid():N}"[..20];
        return (host, await host.CreateLibraryAsync(Samples.Library(libraryId), Samples.Patron("p1")), libraryId);
    }
}
