using Comms.Circulation;
using Comms.Common;
using Comms.Contacts;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Xunit.Abstractions;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Security;

/// <summary>
/// How much one notice may carry: bounded at every HTTP endpoint (body size, list lengths, text lengths), in
/// the notices that gather records (a digest, the current loans report) and, last, at the dispatcher, so no
/// path renders an email larger than a provider takes. Measured: the largest email the limits allow.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class NoticeSizeLimitTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private static readonly DateTimeOffset Due = DateTimeOffset.UtcNow.AddDays(20);

    /// <summary>ACS's default limit per message; SES takes 40 MB, so this is the bound that matters.</summary>
    private const long SmallestProviderLimitBytes = 10 * 1024 * 1024;

    [Fact]
    public async Task DispatchAsync_MoreLoansThanOneEmailLists_IsRefusedAndNothingIsSentOrLogged()
    {
        await using var run = await StartAsync();

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => run.DispatchAsync(Loans(NoticeLimits.MaxItems + 1, "Dune")));

        Assert.Contains("loans", refused.Errors.Keys);
        Assert.Empty(run.Outbox());
        Assert.Empty(await run.LogAsync());
    }

    [Fact]
    public async Task DispatchAsync_MegabyteTitle_IsRefusedAndNothingIsSentOrLogged()
    {
        await using var run = await StartAsync();

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => run.DispatchAsync(Loans(1, new string('x', 1024 * 1024))));

        Assert.Equal(["loans[0].title"], refused.Errors.Keys);
        Assert.Empty(run.Outbox());
        Assert.Empty(await run.LogAsync());
    }

    [Fact]
    public async Task DispatchAsync_AtEveryLimit_SendsOneEmailAQuarterUnderTheSmallestProviderLimit()
    {
        await using var run = await StartAsync();
        // The worst the limits allow: every item, every text at its longest, every character one that grows sixfold when escaped.
        var worst = new string('"', NoticeLimits.MaxTextLength);
        var loans = Enumerable.Range(0, NoticeLimits.MaxItems).Select(i => new LoanFact($"loan-{i}", worst, worst, worst, Due)).ToList();

        var result = await run.DispatchAsync(loans);

        Assert.Equal(1, result.Sent);
        var file = Assert.Single(run.Outbox());
        var bytes = new FileInfo(file).Length;
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal(NoticeLimits.MaxItems * 3, CountOf(message.HtmlBody!, new string('"', NoticeLimits.MaxTextLength).Replace("\"", "&quot;", StringComparison.Ordinal)));
        output.WriteLine($"{NoticeLimits.MaxItems} items with {NoticeLimits.MaxTextLength}-character texts escaped sixfold: .eml {bytes / 1024.0 / 1024.0:F1} MB (limit {SmallestProviderLimitBytes / 1024 / 1024} MB)");
        Assert.True(bytes < SmallestProviderLimitBytes * 3 / 4, $"{bytes} bytes: the limits no longer keep an email a quarter under {SmallestProviderLimitBytes} bytes.");
    }

    public static TheoryData<string, string, string, string> OversizedRequests() => new()
    {
        { "10,000 loans in one checkout", "/loans", Session(10_000, "Dune"), "body" },
        { "a 1 MB title", "/loans", Session(1, new string('x', 1024 * 1024)), "body" },
        { "one loan more than a checkout takes", "/loans", Session(LoanService.MaxLoansPerSession + 1, "Dune"), "loans" },
        { "a title one character too long", "/loans", Session(1, new string('x', NoticeLimits.MaxTextLength + 1)), "loans[0].title" },
        { "one order line more than an email lists", "/orders", Order(NoticeLimits.MaxItems + 1), "lines" },
    };

    [Theory]
    [MemberData(nameof(OversizedRequests))]
    public async Task Post_OversizedRequest_Is400ProblemJsonNamingTheField(string why, string path, string body, string field)
    {
        // POST /loans takes a durable client, so the engine must run even though nothing gets to start.
        await using var host = await DevHostServer.StartAsync(emulators, HttpSurface.WithDurableEngine);
        var key = await host.Client.CreateLibraryAsync("big");

        using var response = await host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries/big" + path, body, libraryKey: key));

        await response.AssertProblemAsync(400, field);
        output.WriteLine($"{why}: {body.Length / 1024} KiB body -> 400 on '{field}'");
    }

    [Fact]
    public async Task CurrentLoansReport_MoreLoansOutThanOneEmailLists_Is409AndSendsNothing()
    {
        await using var host = await DevHostServer.StartAsync(emulators);
        var key = await host.CreateLibraryAsync(Samples.Library("big"));
        await host.Services.GetRequiredService<PatronService>().UpsertAsync("big", "p1", Samples.Patron("p1"));
        await InsertLoansAsync(host.Services.GetRequiredService<LoanStore>(), "big", "p1", NoticeLimits.MaxItems + 1);

        using var response = await host.SendAsync(HttpMethod.Post, "/api/libraries/big/patrons/p1/current-loans-report", key);

        var problem = await response.AssertProblemAsync(409);
        Assert.Contains($"at most {NoticeLimits.MaxItems}", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var log = await host.Services.GetRequiredService<EmailLogStore>().QueryAsync("big", new EmailLogQuery { PageSize = 10 });
        Assert.Empty(log.Items);
    }

    [Fact]
    public async Task Digest_MoreLoansDueTogetherThanOneEmailLists_ListsTheLimitAndTheRestGoAlone()
    {
        await using var run = await StartAsync();
        var store = run.Services.GetRequiredService<LoanStore>();
        var digests = run.Services.GetRequiredService<LoanDigests>();
        var step = new PlannedStep("overdue", Due.AddDays(1), DateOnly.FromDateTime(Due.AddDays(1).UtcDateTime));
        var ids = await InsertLoansAsync(store, "lib", "p1", NoticeLimits.MaxItems + 1);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) => await digests.RegisterAsync(Track(id), step, ct));

        var owner = await digests.ClaimAsync(Track(ids[0]), step);
        var listed = await digests.ClaimAsync(Track(ids[1]), step);
        var leftOut = await digests.ClaimAsync(Track(ids[^1]), step);

        Assert.Equal(NoticeLimits.MaxItems, owner!.Loans.Count);
        Assert.Null(listed);
        Assert.Equal([ids[^1]], leftOut!.Loans.Select(l => l.LoanId));
    }

    private static LoanTrack Track(string loanId) => new() { LibraryId = "lib", LoanId = loanId, PatronId = "p1", DueAt = Due, NotBefore = Due.AddDays(-21) };

    /// <summary>Loans written straight to the store: the limit is about what a patron has out, however it got there.</summary>
    private static async Task<List<string>> InsertLoansAsync(LoanStore store, string libraryId, string patronId, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"loan-{i:D4}").ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) => await store.TryInsertAsync(new Loan
        {
            LibraryId = libraryId,
            LoanId = id,
            PatronId = patronId,
            Title = "Dune",
            DueAt = Due,
            IssuedAt = Due.AddDays(-21),
        }, ct));
        return ids;
    }

    private async Task<Run> StartAsync()
    {
        string outbox = null!;
        var services = TestServices.Create(emulators, s => outbox = s["Comms:Email:Pickup:Directory"]!);
        await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library("lib"));
        await services.GetRequiredService<PatronService>().UpsertAsync("lib", "p1", Samples.Patron("p1") with { Contacts = [Samples.Patron("p1").Contacts[0]] });
        return new Run(services, outbox);
    }

    private static List<LoanFact> Loans(int count, string title) =>
        [.. Enumerable.Range(0, count).Select(i => new LoanFact($"loan-{i}", title, "Author", $"B{i}", Due))];

    private static string Session(int loans, string title)
    {
        var items = Enumerable.Range(0, loans).Select(i => new { loanId = $"loan-{i}", title, dueAt = Due });
        return Serialize(new { patronId = "p1", loans = items });
    }

    private static string Order(int lines)
    {
        var items = Enumerable.Range(0, lines).Select(_ => new { title = "Holes", quantity = 1, unitPrice = 7.99m });
        return Serialize(new { orderNumber = "PO-1", supplierId = "books", currency = "GBP", deliveryAddress = "1 High St", lines = items });
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The app's services with library "lib" and patron "p1" (one contact), and the pickup folder they write to.</summary>
    private sealed record Run(ServiceProvider Services, string OutboxFolder) : IAsyncDisposable
    {
        public Task<NoticeDispatchResult> DispatchAsync(IReadOnlyList<LoanFact> loans) =>
            Services.GetRequiredService<INoticeDispatcher>().DispatchAsync(new NoticeRequest
            {
                LibraryId = "lib",
                Scenario = new ScenarioKey(Scenario.CurrentLoansReport),
                SubjectRecordId = "report-1",
                ScheduledFor = DateOnly.FromDateTime(DateTime.UtcNow),
                PatronId = "p1",
                Loans = loans,
            });

        public string[] Outbox() => Directory.Exists(OutboxFolder) ? Directory.GetFiles(OutboxFolder, "*.eml") : [];

        public async Task<IReadOnlyList<EmailLogEntry>> LogAsync() =>
            (await Services.GetRequiredService<EmailLogStore>().QueryAsync("lib", new EmailLogQuery { PageSize = 100 })).Items;

        public ValueTask DisposeAsync() => Services.DisposeAsync();
    }
}
