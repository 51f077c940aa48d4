using System.Net;
using System.Text.Json;
using Comms.Contacts;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Templates;

[Collection(EmulatorCollection.Name)]
public sealed class TemplateHttpTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private DevHostServer _server = null!;
    private string _keyA = string.Empty;
    private string _keyB = string.Empty;

    public async Task InitializeAsync()
    {
        _server = await DevHostServer.StartAsync(emulators);
        _keyA = await _server.CreateLibraryAsync(Samples.Library("lib-a"));
        _keyB = await _server.CreateLibraryAsync(Samples.Library("lib-b"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetScenarios_ListsEveryScenarioWithVariablesAndSampleData()
    {
        using var response = await _server.Client.GetAsync("/api/scenarios");
        var items = (await Json(response)).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Enum.GetValues<Comms.Scenarios.Scenario>().Length, items.Count);
        var overdue = items.Single(i => i.GetProperty("key").GetString() == "overdue");
        Assert.Contains("items[].dueDate", overdue.GetProperty("variables").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("The Hobbit", overdue.GetProperty("sampleData").GetProperty("items")[0].GetProperty("title").GetString());
        var lost = items.Single(i => i.GetProperty("key").GetString() == "declared-lost");
        Assert.Contains("charges.lines[].replacementCost", lost.GetProperty("variables").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("£14.99", lost.GetProperty("sampleData").GetProperty("charges").GetProperty("lines")[0].GetProperty("replacementCost").GetString());
        var renewals = items.Single(i => i.GetProperty("key").GetString() == "auto-renewal");
        Assert.Equal("reserved", renewals.GetProperty("sampleData").GetProperty("renewals").GetProperty("items")[2].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Lifecycle_CopyEditVersionsRollbackAndPreview_WorkOverHttp()
    {
        using var created = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates", _keyA,
            new { copyFrom = "default:overdue", name = "Our overdue", active = true });
        var id = (await Json(created)).GetProperty("template").GetProperty("id").GetString()!;
        var path = $"/api/libraries/lib-a/templates/{id}";

        using var fetched = await _server.SendAsync(HttpMethod.Get, path, _keyA);
        var body = await Json(fetched);
        using var updated = await _server.SendAsync(HttpMethod.Put, path, _keyA, new
        {
            name = "Our overdue",
            active = true,
            usedBy = new[] { "overdue" },
            language = "en-GB",
            subject = "Please bring back your books, {{patron.name}}",
            html = body.GetProperty("content").GetProperty("html").GetString(),
            text = body.GetProperty("content").GetProperty("text").GetString(),
        });
        using var versions = await _server.SendAsync(HttpMethod.Get, path + "/versions", _keyA);
        using var first = await _server.SendAsync(HttpMethod.Get, path + "/versions/1", _keyA);
        using var rolledBack = await _server.SendAsync(HttpMethod.Post, path + "/rollback", _keyA, new { version = 2 });
        using var list = await _server.SendAsync(HttpMethod.Get, "/api/libraries/lib-a/templates", _keyA);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(2, (await Json(updated)).GetProperty("template").GetProperty("latestVersion").GetInt32());
        Assert.Equal(2, (await Json(versions)).GetProperty("items").GetArrayLength());
        Assert.Equal("Overdue library items for {{patron.name}}", (await Json(first)).GetProperty("content").GetProperty("subject").GetString());
        Assert.Equal(3, (await Json(rolledBack)).GetProperty("template").GetProperty("latestVersion").GetInt32());
        var summary = Assert.Single((await Json(list)).GetProperty("items").EnumerateArray());
        Assert.Equal(["overdue"], summary.GetProperty("usedBy").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Preview_SavedTemplateWithRealPatron_EscapesTheNameInHtmlOnly()
    {
        var id = await CreateTemplateAsync("lib-a", _keyA);
        var patron = Samples.Patron("p1") with { Name = "<b>Robin</b>", PreferredLanguage = "fr" };
        await _server.Services.GetRequiredService<PatronStore>().UpsertAsync("lib-a", patron);

        using var response = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates/preview", _keyA, new
        {
            templateId = id,
            patronId = "p1",
            data = new { items = new[] { new { title = "Le Petit Prince", barcode = "42", dueDate = "2026-03-01T12:00:00Z" } } },
        });
        var preview = await Json(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Overdue library items for <b>Robin</b>", preview.GetProperty("subject").GetString());
        Assert.Contains("&lt;b&gt;Robin&lt;/b&gt;", preview.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Contains("Le Petit Prince", preview.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("dimanche 1 mars 2026", preview.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Dear Patron p1,", preview.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_DraftWithSampleData_RendersWithoutSaving()
    {
        using var response = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates/preview", _keyA, new
        {
            scenario = "reservation-ready",
            draft = new { subject = "Ready: {{reservation.title}}", html = "<p>{{reservation.pickupLocation}}</p>", text = "{{patron.name}}" },
        });
        var preview = await Json(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Ready: The Lion, the Witch and the Wardrobe", preview.GetProperty("subject").GetString());
        Assert.Equal("Alex Morgan", preview.GetProperty("text").GetString());
        Assert.Empty(await ListIdsAsync("lib-a", _keyA));
    }

    [Theory]
    [InlineData("""{"copyFrom":"default:nope","name":"x"}""", "copyFrom")]
    [InlineData("""{"copyFrom":"missing-template","name":"x"}""", "copyFrom")]
    [InlineData("""{"copyFrom":"default:overdue","name":""}""", "name")]
    [InlineData("""{"copyFrom":"default:overdue"}""", "body")]
    [InlineData("""{"copyFrom":"default:overdue","name":"x","usedBy":["overdue","overdue"]}""", "usedBy[1]")]
    [InlineData("""{"copyFrom":"default:overdue","name":"x","usedBy":["reservation-ready"]}""", "html")]
    [InlineData("""{"copyFrom":"default:overdue","name":"x","language":"not a language"}""", "language")]
    [InlineData("""{"copyFrom":"default:overdue","name":"x","colour":"red"}""", "colour")]
    [InlineData("""not json""", "body")]
    public async Task Create_BadInput_Returns400ProblemAndStoresNothing(string body, string field)
    {
        using var response = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates", _keyA, body);

        await AssertValidationProblemAsync(response, field);
        Assert.Empty(await ListIdsAsync("lib-a", _keyA));
    }

    [Theory]
    [InlineData("Hi {{patron.name}", "<p>x</p>", "subject", "Line 1, column 4")]
    [InlineData("Hi", "<p>\n{{#items}}</p>", "html", "Line 2, column 1")]
    [InlineData("Hi {{patron.nmae}}", "<p>x</p>", "subject", "'patron.nmae'")]
    [InlineData("Hi", "<p>{{{patron.name}}}</p>", "html", "without HTML escaping")]
    [InlineData("", "<p>x</p>", "subject", "Required.")]
    public async Task Update_InvalidTemplate_Returns400WithDetailsAndKeepsTheOldVersion(string subject, string html, string field, string expected)
    {
        var id = await CreateTemplateAsync("lib-a", _keyA);

        using var response = await _server.SendAsync(HttpMethod.Put, $"/api/libraries/lib-a/templates/{id}", _keyA, new
        {
            name = "x", active = false, usedBy = new[] { "overdue" }, language = "en", subject, html, text = "ok",
        });

        var problem = await AssertValidationProblemAsync(response, field);
        Assert.Contains(expected, problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await VersionCountAsync("lib-a", _keyA, id));
    }

    [Fact]
    public async Task Update_MissingFieldsOrUnknownTemplate_IsRejected()
    {
        var id = await CreateTemplateAsync("lib-a", _keyA);

        using var missing = await _server.SendAsync(HttpMethod.Put, $"/api/libraries/lib-a/templates/{id}", _keyA, """{"name":"x"}""");
        using var unknown = await _server.SendAsync(HttpMethod.Get, "/api/libraries/lib-a/templates/nope/versions", _keyA);

        await AssertValidationProblemAsync(missing, "body");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(1, await VersionCountAsync("lib-a", _keyA, id));
    }

    [Theory]
    [InlineData("GET", "/nope")]
    [InlineData("PUT", "/nope")]
    [InlineData("GET", "/nope/versions")]
    [InlineData("GET", "/{id}/versions/7")]
    [InlineData("POST", "/nope/rollback")]
    public async Task UnknownTemplateOrVersion_Returns404AndStoresNothing(string method, string suffix)
    {
        var id = await CreateTemplateAsync("lib-a", _keyA);
        object body = method == "PUT"
            ? new { name = "x", active = false, usedBy = new[] { "overdue" }, language = "en", subject = "x", html = "x", text = "x" }
            : new { version = 1 };

        using var response = await _server.SendAsync(new HttpMethod(method), "/api/libraries/lib-a/templates" + suffix.Replace("{id}", id, StringComparison.Ordinal), _keyA, body);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([id], await ListIdsAsync("lib-a", _keyA));
        Assert.Equal(1, await VersionCountAsync("lib-a", _keyA, id));
    }

    [Theory]
    [InlineData("""{"version":99}""", "version")]
    [InlineData("""{"version":0}""", "version")]
    [InlineData("""{}""", "body")]
    [InlineData("""{"version":"one"}""", "version")]
    public async Task Rollback_BadInput_Returns400AndAddsNoVersion(string body, string field)
    {
        var id = await CreateTemplateAsync("lib-a", _keyA);

        using var response = await _server.SendAsync(HttpMethod.Post, $"/api/libraries/lib-a/templates/{id}/rollback", _keyA, body);

        await AssertValidationProblemAsync(response, field);
        Assert.Equal(1, await VersionCountAsync("lib-a", _keyA, id));
    }

    [Theory]
    [InlineData("""{"templateId":"default:overdue","draft":{"subject":"a","html":"b","text":"c"},"scenario":"overdue"}""", "body")]
    [InlineData("""{"scenario":"overdue"}""", "body")]
    [InlineData("""{"draft":{"subject":"a","html":"b","text":"c"}}""", "scenario")]
    [InlineData("""{"draft":{"subject":"a","html":"{{{patron.name}}}","text":"c"},"scenario":"overdue"}""", "draft.html")]
    [InlineData("""{"draft":{"subject":"{{order.total}}","html":"b","text":"c"},"scenario":"overdue"}""", "draft.subject")]
    [InlineData("""{"draft":{"subject":"a","html":"{{= =}}","text":"c"},"scenario":"overdue"}""", "draft.html")]
    [InlineData("""{"templateId":"default:nope"}""", "templateId")]
    [InlineData("""{"templateId":"default:password-reset","data":{"reset":{"link":"javascript:alert(1)","expiresAt":"2026-03-01T00:00:00Z"}}}""", "data.reset.link")]
    [InlineData("""{"templateId":"default:overdue","language":"nope nope"}""", "language")]
    public async Task Preview_BadInput_Returns400Problem(string body, string field)
    {
        using var response = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates/preview", _keyA, body);

        await AssertValidationProblemAsync(response, field);
        Assert.Empty(await ListIdsAsync("lib-a", _keyA));
    }

    [Fact]
    public async Task Preview_UnknownPatron_Returns404()
    {
        using var response = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates/preview", _keyA,
            new { templateId = "default:overdue", patronId = "nobody" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "")]
    [InlineData("GET", "/{id}")]
    [InlineData("PUT", "/{id}")]
    [InlineData("GET", "/{id}/versions")]
    [InlineData("GET", "/{id}/versions/1")]
    [InlineData("POST", "/{id}/rollback")]
    [InlineData("POST", "/preview")]
    public async Task AnyEndpoint_OtherLibrarysKey_Returns403AndRevealsNothing(string method, string suffix)
    {
        var idB = await CreateTemplateAsync("lib-b", _keyB, "Secret B template");
        object body = suffix switch
        {
            "" => new { copyFrom = "default:overdue", name = "Intruder" },
            "/{id}/rollback" => new { version = 1 },
            "/preview" => new { templateId = idB },
            _ => new { name = "Intruder", active = true, usedBy = new[] { "overdue" }, language = "en", subject = "x", html = "x", text = "x" },
        };

        using var response = await _server.SendAsync(new HttpMethod(method), "/api/libraries/lib-b/templates" + suffix.Replace("{id}", idB, StringComparison.Ordinal), _keyA, body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("Secret B", text, StringComparison.Ordinal);
        Assert.DoesNotContain(idB, text, StringComparison.Ordinal);
        Assert.Equal([idB], await ListIdsAsync("lib-b", _keyB));
        Assert.Equal(1, await VersionCountAsync("lib-b", _keyB, idB));
    }

    [Fact]
    public async Task Preview_DraftNestedFifteenDeep_Returns400WithLineAndColumn()
    {
        // The 14 MB preview: {{#items}} fifteen deep around one character.
        var text = "Hi\n" + string.Concat(Enumerable.Repeat("{{#items}}", 15)) + "x" + string.Concat(Enumerable.Repeat("{{/items}}", 15));

        using var response = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates/preview", _keyA, new
        {
            scenario = "overdue",
            draft = new { subject = "Hi", html = "<p>x</p>", text },
        });

        var problem = await AssertValidationProblemAsync(response, "draft.text");
        Assert.StartsWith("Line 2, column 81:", problem.GetProperty("errors").GetProperty("draft.text")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_SectionsNested3000Deep_Returns400AndKeepsTheOldVersion()
    {
        var id = await CreateTemplateAsync("lib-a", _keyA);
        var text = string.Concat(Enumerable.Repeat("{{#items}}", 3000)) + "x" + string.Concat(Enumerable.Repeat("{{/items}}", 3000));

        using var response = await _server.SendAsync(HttpMethod.Put, $"/api/libraries/lib-a/templates/{id}", _keyA, new
        {
            name = "x", active = false, usedBy = new[] { "overdue" }, language = "en", subject = "Hi", html = "<p>x</p>", text,
        });

        var problem = await AssertValidationProblemAsync(response, "text");
        Assert.Contains("nested more than", problem.GetProperty("errors").GetProperty("text")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await VersionCountAsync("lib-a", _keyA, id));
    }

    [Fact]
    public async Task Preview_ValidDraftThatRendersPastTheBudget_Returns400()
    {
        var depth = Comms.Templates.TemplateValidator.MaxSectionDepth;
        var text = string.Concat(Enumerable.Repeat("{{#items}}", depth)) + "{{title}}" + string.Concat(Enumerable.Repeat("{{/items}}", depth));
        var items = Enumerable.Range(0, 10).Select(i => new { title = $"Book {i}", barcode = "1", dueDate = "2026-03-01T12:00:00Z" }).ToArray();

        using var response = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates/preview", _keyA, new
        {
            scenario = "overdue",
            draft = new { subject = "Hi", html = "<p>x</p>", text },
            data = new { items },
        });

        var problem = await AssertValidationProblemAsync(response, "draft");
        Assert.Contains("steps", problem.GetProperty("errors").GetProperty("draft")[0].GetString(), StringComparison.Ordinal);
    }

    private async Task<string> CreateTemplateAsync(string libraryId, string key, string name = "Overdue copy")
    {
        using var response = await _server.SendAsync(HttpMethod.Post, $"/api/libraries/{libraryId}/templates", key, new { copyFrom = "default:overdue", name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("template").GetProperty("id").GetString()!;
    }

    private async Task<List<string>> ListIdsAsync(string libraryId, string key)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, $"/api/libraries/{libraryId}/templates", key);
        return [.. (await Json(response)).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];
    }

    private async Task<int> VersionCountAsync(string libraryId, string key, string templateId)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, $"/api/libraries/{libraryId}/templates/{templateId}/versions", key);
        return (await Json(response)).GetProperty("items").GetArrayLength();
    }

    private static async Task<JsonElement> AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"No error for '{field}' in {text}");
        return problem;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
