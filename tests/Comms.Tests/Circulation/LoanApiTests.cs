using System.Net;
using System.Text.Json;
using Comms.Libraries;
using Comms.Tests.Infrastructure;

namespace Comms.Tests.Circulation;

/// <summary>The loan API's answers to bad input, unknown loans and other libraries' keys.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class LoanApiTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task IssueLoans_BadInput_Returns400WithFieldErrors()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = "api-" + Guid.NewGuid().ToString("N")[..10];
        using var client = await host.CreateLibraryAsync(libraryId, new NoticeTiming());

        var problem = await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { patronId = "p 1", loans = new[] { new { loanId = "a/b", title = "", dueAt = (DateTimeOffset?)null } } }, HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("patronId", out _));
        Assert.True(errors.TryGetProperty("loans[0].loanId", out _));
        Assert.True(errors.TryGetProperty("loans[0].title", out _));
        Assert.True(errors.TryGetProperty("loans[0].dueAt", out _));
    }

    [Theory]
    [InlineData("Dune\r\nBcc: x@evil.example")]
    [InlineData("Dune\nsecond line")]
    [InlineData("Dune\u0000")]
    public async Task IssueLoans_LineBreakOrControlCharacterInATitle_Returns400LikeAPreviewDoes(string title)
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = "api-" + Guid.NewGuid().ToString("N")[..10];
        using var client = await host.CreateLibraryAsync(libraryId, new NoticeTiming());

        var problem = await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { patronId = "p1", loans = new[] { new { loanId = "l1", title, author = "A\nB", dueAt = (DateTimeOffset?)DateTimeOffset.UtcNow.AddDays(14) } } }, HttpStatusCode.BadRequest);
        using var get = await client.GetAsync($"/api/libraries/{libraryId}/loans/l1");

        var errors = problem.GetProperty("errors");
        Assert.Contains("line breaks", errors.GetProperty("loans[0].title")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("loans[0].author", out _));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task LoanEvents_UnknownLoan_Returns404()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = "api-" + Guid.NewGuid().ToString("N")[..10];
        using var client = await host.CreateLibraryAsync(libraryId, new NoticeTiming());

        await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/nope/return", null, HttpStatusCode.NotFound);
        await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/nope/renew", new { dueAt = DateTimeOffset.UtcNow.AddDays(7) }, HttpStatusCode.NotFound);
        using var get = await client.GetAsync($"/api/libraries/{libraryId}/loans/nope");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Loans_AnotherLibrarysKey_Returns403()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var mine = "api-" + Guid.NewGuid().ToString("N")[..10];
        var theirs = "api-" + Guid.NewGuid().ToString("N")[..10];
        using var myClient = await host.CreateLibraryAsync(mine, new NoticeTiming());
        using var theirClient = await host.CreateLibraryAsync(theirs, new NoticeTiming());

        var body = new { loanId = "x1", patronId = "p1", title = "Kim", dueAt = DateTimeOffset.UtcNow.AddDays(14) };
        await LoanOrchestrationTests.PostAsync(theirClient, $"/api/libraries/{mine}/loans", body, HttpStatusCode.Forbidden);
        using var get = await theirClient.GetAsync($"/api/libraries/{mine}/loans/x1");
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        _ = JsonDocument.Parse(await get.Content.ReadAsStringAsync());
    }
}
