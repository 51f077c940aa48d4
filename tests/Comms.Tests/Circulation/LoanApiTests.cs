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
    [InlineData("recall")]
    [InlineData("escalation-11")]
    [InlineData("Overdue")]
    public async Task IssueLoans_LastNoticeSentNotALadderStep_Returns400(string lastNoticeSent)
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = "api-" + Guid.NewGuid().ToString("N")[..10];
        using var client = await host.CreateLibraryAsync(libraryId, new NoticeTiming());

        var problem = await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "x1", patronId = "p1", title = "Kim", dueAt = DateTimeOffset.UtcNow.AddDays(-30), lastNoticeSent }, HttpStatusCode.BadRequest);
        using var get = await client.GetAsync($"/api/libraries/{libraryId}/loans/x1");

        Assert.True(problem.GetProperty("errors").TryGetProperty("lastNoticeSent", out _));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task IssueLoans_UnknownPatron_Returns404AndStoresNothing()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = "api-" + Guid.NewGuid().ToString("N")[..10];
        using var client = await host.CreateLibraryAsync(libraryId, new NoticeTiming());

        var problem = await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "x1", patronId = "ghost", title = "Kim", dueAt = DateTimeOffset.UtcNow.AddDays(14) }, HttpStatusCode.NotFound);
        using var get = await client.GetAsync($"/api/libraries/{libraryId}/loans/x1");

        Assert.Contains("Patron 'ghost' does not exist", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Empty(host.Notices.For(libraryId));
    }

    [Fact]
    public async Task IssueLoans_SameIdWithOtherContent_Returns409AndChangesNothing()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = "api-" + Guid.NewGuid().ToString("N")[..10];
        using var client = await host.CreateLibraryAsync(libraryId, new NoticeTiming());
        var due = DateTimeOffset.UtcNow.AddDays(14);
        await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "x1", patronId = "p1", title = "Kim", dueAt = due }, HttpStatusCode.Created);

        var single = await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "x1", patronId = "p2", title = "Kim", dueAt = due.AddDays(7) }, HttpStatusCode.Conflict);
        var session = await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new
        {
            patronId = "p1",
            loans = new[] { new { loanId = "x2", title = "Emma", dueAt = due }, new { loanId = "x1", title = "Not Kim", dueAt = due } },
        }, HttpStatusCode.Conflict);
        var same = await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "x1", patronId = "p1", title = "Kim", dueAt = due }, HttpStatusCode.OK);
        var stored = await LoanOrchestrationTests.GetLoanAsync(client, libraryId, "x1");
        using var x2 = await client.GetAsync($"/api/libraries/{libraryId}/loans/x2");

        Assert.Contains("patronId, dueAt", single.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("title", session.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(same.GetProperty("loans")[0].GetProperty("created").GetBoolean());
        Assert.Equal("p1", stored.GetProperty("loan").GetProperty("patronId").GetString());
        Assert.Equal("Kim", stored.GetProperty("loan").GetProperty("title").GetString());
        Assert.Equal(due.ToUniversalTime(), stored.GetProperty("loan").GetProperty("dueAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.NotFound, x2.StatusCode);
    }

    [Fact]
    public async Task RenewOrRecall_ToThePast_Returns400AndChangesNothing()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = "api-" + Guid.NewGuid().ToString("N")[..10];
        using var client = await host.CreateLibraryAsync(libraryId, new NoticeTiming());
        var due = DateTimeOffset.UtcNow.AddDays(14);
        await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "x1", patronId = "p1", title = "Kim", dueAt = due }, HttpStatusCode.Created);

        var renew = await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/x1/renew", new { dueAt = DateTimeOffset.UtcNow.AddHours(-1) }, HttpStatusCode.BadRequest);
        var recall = await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/x1/recall", new { newDueAt = DateTimeOffset.UtcNow.AddDays(-2), reason = "Needed" }, HttpStatusCode.BadRequest);
        var stored = await LoanOrchestrationTests.GetLoanAsync(client, libraryId, "x1");

        Assert.True(renew.GetProperty("errors").TryGetProperty("dueAt", out _));
        Assert.True(recall.GetProperty("errors").TryGetProperty("newDueAt", out _));
        Assert.Equal(due.ToUniversalTime(), stored.GetProperty("loan").GetProperty("dueAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain(host.Notices.For(libraryId), r => r.Scenario.ToString() == "recall");
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
