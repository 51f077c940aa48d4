using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Core;
using Comms.Benchmarks.Storage;
using Comms.Common;
using Comms.Contacts;
using Comms.DevHost;
using Comms.DevHost.Durable;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Comms.Benchmarks.Suite;

/// <summary>
/// P2 and P3 on the dev host: the function app's loan orchestrations on the durable engine with the Azure
/// Storage backend (Azurite), the real dispatcher and SES (aws-ses-v2-local), one ladder day = one second.
/// </summary>
public sealed class DurableFigures(Emulators emulators) : IAsyncDisposable
{
    private const string AdminKey = "bench-admin-key-0123456789";
    private readonly string _taskHub = "B" + Guid.NewGuid().ToString("N")[..12];
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private StorageCallCounter _appTables = null!;
    private StorageCallCounter _hubTables = null!;
    private StorageCallCounter _hubQueues = null!;
    private StorageCallCounter _hubBlobs = null!;

    public static async Task<DurableFigures> StartAsync(Emulators emulators, int messagesPerSecond)
    {
        var figures = new DurableFigures(emulators);
        var prefix = "B" + Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string?>
        {
            ["Comms:Storage:ConnectionString"] = emulators.Storage,
            ["DevHost:Durable:ConnectionString"] = emulators.TaskHubStorage,
            ["Comms:Storage:TablePrefix"] = prefix,
            ["Comms:Security:PlatformAdminKey"] = AdminKey,
            ["Comms:TaskHubName"] = figures._taskHub,
            ["Comms:Circulation:DayLength"] = "00:00:01",
            ["Comms:Email:Provider"] = "Ses",
            ["Comms:Email:PlatformSender"] = "notices@bench.example.org",
            ["Comms:Email:Ses:ServiceUrl"] = emulators.Ses.ToString(),
            ["Comms:Email:Ses:Region"] = "eu-west-1",
            ["Comms:Email:Ses:AccessKeyId"] = "bench",
            ["Comms:Email:Ses:SecretAccessKey"] = "bench",
            ["Comms:Email:Ses:MessagesPerSecond"] = messagesPerSecond.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        // The engine's queue polling stays at the dev host's default (1 s). 0.2 s made idle polls alone fill Azurite's
        // thread once thousands of timers were pending: each poll scans every message (`azurite-queue-cost`, docs/scaling.md).
        figures._app = DevHostApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            // Every storage call of the app's tables and of the engine's task hub passes a counter, so P3 reports
            // what a loan and a notice cost in calls, measured on the wire.
            figures._appTables = new StorageCallCounter(prefix);
            var tables = new TableClientOptions();
            tables.AddPolicy(figures._appTables, HttpPipelinePosition.PerRetry);
            builder.Services.AddSingleton(tables);
            var hub = new DurableStorageClientOptions();
            figures._hubTables = new StorageCallCounter(figures._taskHub);
            figures._hubQueues = new StorageCallCounter(figures._taskHub, StorageService.Queue);
            figures._hubBlobs = new StorageCallCounter(figures._taskHub, StorageService.Blob);
            hub.Tables.AddPolicy(figures._hubTables, HttpPipelinePosition.PerRetry);
            hub.Queues.AddPolicy(figures._hubQueues, HttpPipelinePosition.PerRetry);
            hub.Blobs.AddPolicy(figures._hubBlobs, HttpPipelinePosition.PerRetry);
            builder.Services.AddSingleton(hub);
        });
        await figures._app.StartAsync();
        var address = figures._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        figures._http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(120) };
        return figures;
    }

    /// <summary>P2: one loan through the default-shaped 5-step ladder, then returned; its history table rows.</summary>
    public async Task<Dictionary<string, int>> CostPerLoanAsync()
    {
        var lib = "p2" + Guid.NewGuid().ToString("N")[..8];
        var timing = new NoticeTiming { PreOverdueDaysBefore = 2, OverdueGraceDays = 1, EscalationDaysAfterDue = [2, 3, 4] };
        using var client = await CreateLibraryAsync(lib, timing, onlyOverdue: false, patrons: 1);
        await PostAsync(client, $"/api/libraries/{lib}/loans", new { loanId = "loan-1", patronId = "p0", title = "Dune", dueAt = DateTimeOffset.UtcNow.AddSeconds(4) });
        await UntilAsync(async () => (await LoanAsync(client, lib, "loan-1")) is var loan && loan.TryGetProperty("notices", out var notices) && notices.TryGetProperty("sent", out var sent) && sent.GetArrayLength() >= 5, TimeSpan.FromSeconds(120));
        await PostAsync(client, $"/api/libraries/{lib}/loans/loan-1/return", null);
        await UntilAsync(async () => (await LoanAsync(client, lib, "loan-1")).GetProperty("runtimeStatus").GetString() == "Completed", TimeSpan.FromSeconds(60));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in new TableClient(emulators.TaskHubStorage, _taskHub + "History").QueryAsync<TableEntity>(r => r.PartitionKey == $"loan:{lib}:loan-1"))
        {
            if (row.GetString("EventType") is { } type)
            {
                counts[type] = counts.GetValueOrDefault(type) + 1;
            }
        }

        return counts;
    }

    /// <summary>P3: <paramref name="loans"/> loans of as many patrons due at one instant, overdue notice only.</summary>
    public async Task<BurstResult> MorningBurstAsync(int loans, int cap)
    {
        var lib = "p3" + Guid.NewGuid().ToString("N")[..8];
        using var client = await CreateLibraryAsync(lib, new NoticeTiming { OverdueGraceDays = 1, EscalationDaysAfterDue = [30] }, onlyOverdue: true, patrons: loans);
        var due = await StepInstantAsync(client, lib, loans);
        ResetCounters();
        var issue = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, loans), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await PostAsync(client, $"/api/libraries/{lib}/loans", new { loanId = $"L{i}", patronId = $"p{i}", title = $"Book {i}", dueAt = due }));
        var issueSeconds = issue.Elapsed.TotalSeconds;

        // Posting past the instant is reported with the figure, not thrown: the loans posted late were due on arrival,
        // so the rate from the instant is then a lower bound, and a 10,000-loan run is not lost to it.
        var postedLate = Math.Max(0, (DateTimeOffset.UtcNow - due).TotalSeconds);

        // What posting cost, counted up to the step's instant: each loan's first episode runs meanwhile and is part of it.
        if (postedLate == 0)
        {
            await Task.Delay(due - DateTimeOffset.UtcNow);
        }

        var issueCalls = Snapshot(loans);
        ResetCounters();
        var cpuAtFire = emulators.AzuriteProcessorTime();
        var fireAt = due.AddSeconds(1);
        var peak = 0L;
        using var ses = new HttpClient { BaseAddress = emulators.Ses };
        // Three times the capped drain, and never less than 5 notices a second would need: a slower drain is reported
        // as what it sent by then.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(Math.Max(60 + (loans * 3.0 / (cap > 0 ? cap : 50)), loans / 5.0));
        var sent = new SesStore(ses, lib);
        DateTimeOffset? last = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(1000);
            peak = Math.Max(peak, Process.GetCurrentProcess().WorkingSet64);
            await sent.PollAsync();
            if (sent.Unique >= loans)
            {
                last = DateTimeOffset.UtcNow;
                break;
            }
        }

        var drain = ((last ?? DateTimeOffset.UtcNow) - fireAt).TotalSeconds;
        var drainCalls = Snapshot(Math.Max(1, sent.Unique));
        var azuriteBusy = emulators.AzuriteProcessorTime().Zip(cpuAtFire, (now, then) => (now - then).TotalSeconds / drain).ToArray();
        // Anything sent twice shows up within a few seconds more.
        await Task.Delay(3000);
        await sent.PollAsync();
        return new BurstResult(loans, sent.Unique, sent.Duplicates, issueSeconds, drain, sent.Unique / drain,
            Math.Max(peak, Process.GetCurrentProcess().PeakWorkingSet64) / 1048576.0, issueCalls, drainCalls, azuriteBusy) { PostedLateSeconds = postedLate };
    }

    /// <summary>
    /// When the burst's step must fall so that every loan is posted before it: this machine's posting rate now,
    /// measured on a probe of the burst's own first loans (due a year later, so they stay out of the burst), with the
    /// whole run allowed 2.5 times the time that rate gives, since posting slows as the task hub grows (docs/scaling.md).
    /// A fixed guess (40, then 8 loans a second) was wrong both ways on a shared machine. The wait is not measured.
    /// </summary>
    private static async Task<DateTimeOffset> StepInstantAsync(HttpClient client, string lib, int loans)
    {
        var probe = Math.Clamp(loans / 50, 10, 100);
        var later = DateTimeOffset.UtcNow.AddDays(365);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, probe), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await PostAsync(client, $"/api/libraries/{lib}/loans", new { loanId = $"probe{i}", patronId = $"p{i}", title = $"Probe {i}", dueAt = later }));
        var perSecond = probe / watch.Elapsed.TotalSeconds;
        return DateTimeOffset.UtcNow.AddSeconds(30 + (2.5 * loans / perSecond));
    }

    private void ResetCounters()
    {
        foreach (var counter in new[] { _appTables, _hubTables, _hubQueues, _hubBlobs })
        {
            counter.Reset();
        }
    }

    /// <summary>Calls since the last reset per unit (loan or notice): app tables first, then the task hub's.</summary>
    private StorageCallsPerNotice Snapshot(int units)
    {
        var counters = new[] { ("app", _appTables), ("hub", _hubTables), ("hub", _hubQueues), ("hub", _hubBlobs) };
        return new(
            counters.SelectMany(c => c.Item2.Snapshot().Select(kv => (Key: $"{c.Item1} {kv.Key}", kv.Value))).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            units,
            counters.SelectMany(c => c.Item2.SnapshotMilliseconds().Select(kv => (Key: $"{c.Item1} {kv.Key}", kv.Value))).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

    /// <summary>
    /// P5: a school's morning. <paramref name="students"/> students in <paramref name="classes"/> classes (one teacher
    /// each), one head of school, a parent per family (every third family has two children), and
    /// <paramref name="loansPerStudent"/> loans per student all due at one instant; the overdue step goes to every
    /// role. Expected: one email per student, parent, teacher and the head, however many loans each covers.
    /// </summary>
    public async Task<SchoolResult> SchoolMorningAsync(int students, int classes, int loansPerStudent, int cap)
    {
        var lib = "p5" + Guid.NewGuid().ToString("N")[..8];
        var roles = new[] { ContactRole.Patron, ContactRole.Parent, ContactRole.Teacher, ContactRole.HeadOfSchool };
        var scenarios = LibraryDefaults.Scenarios().ToDictionary(
            s => s.Key,
            s => s.Key is Scenario.PreOverdue or Scenario.Escalation or Scenario.LoanReceipt ? s.Value with { Enabled = false }
                : s.Key == Scenario.Overdue ? s.Value with { Roles = roles } : s.Value);
        using var client = await CreateLibraryAsync(lib, new NoticeTiming { OverdueGraceDays = 1, EscalationDaysAfterDue = [30] }, scenarios);
        var family = Enumerable.Range(0, students).Select(i => i % 3 == 1 ? i - 1 : i).ToArray(); // every third family: two children
        await _app.Services.GetRequiredService<PatronStore>().UpsertManyAsync(lib, [.. Enumerable.Range(0, students).Select(i => new Patron
        {
            Id = $"s{i}", Name = $"Student {i}", Group = $"Class {i % classes}",
            Contacts =
            [
                new Contact { Role = ContactRole.Patron, Name = $"Student {i}", Email = $"student{i}@{lib}.example.org" },
                new Contact { Role = ContactRole.Parent, Name = $"Parent {family[i]}", Email = $"parent{family[i]}@{lib}.example.org" },
                new Contact { Role = ContactRole.Teacher, Name = $"Teacher {i % classes}", Email = $"teacher{i % classes}@{lib}.example.org" },
                new Contact { Role = ContactRole.HeadOfSchool, Name = "Head", Email = $"head@{lib}.example.org" },
            ],
        })]);

        // Every loan must be posted before the step's instant, or it arrives overdue and has a send time of its own.
        var due = DateTimeOffset.UtcNow.AddSeconds(60 + (students / 4.0));
        var issue = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, students), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await PostAsync(client, $"/api/libraries/{lib}/loans", new
            {
                patronId = $"s{i}",
                loans = Enumerable.Range(0, loansPerStudent).Select(k => new { loanId = $"L{i}-{k}", title = $"Book {i}-{k}", dueAt = due }).ToArray(),
            }));
        var issueSeconds = issue.Elapsed.TotalSeconds;
        if (DateTimeOffset.UtcNow > due - TimeSpan.FromSeconds(5))
        {
            throw new InvalidOperationException($"Posting the loans took {issueSeconds:F0} s, past the step's instant: the machine is too loaded for this figure.");
        }

        var fireAt = due.AddSeconds(1);
        var expected = students + family.Distinct().Count() + classes + 1;
        using var ses = new HttpClient { BaseAddress = emulators.Ses };
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(300 + (expected * 3.0 / cap));
        var store = new SesStore(ses, lib);
        DateTimeOffset? last = null;
        var peak = 0L;
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(1000);
            peak = Math.Max(peak, Process.GetCurrentProcess().WorkingSet64);
            await store.PollAsync();
            if (store.Emails.Count >= expected)
            {
                last = DateTimeOffset.UtcNow;
                break;
            }
        }

        // Anything late (a duplicate, or a contact told twice) shows up within a few seconds more.
        await Task.Delay(5000);
        await store.PollAsync();
        var sent = store.Emails;
        var drain = ((last ?? DateTimeOffset.UtcNow) - fireAt).TotalSeconds;
        // One recipient per email: the destination holds its display name and address.
        int To(string who) => sent.Count(e => e.To.Contains(who, StringComparison.OrdinalIgnoreCase));
        return new SchoolResult(
            students, classes, students * loansPerStudent, expected, sent.Count, sent.Count - sent.Distinct().Count(),
            To("student"), To("parent"), To("teacher"), To("head"), family.Distinct().Count(), issueSeconds, drain, sent.Count / drain, peak / 1048576.0);
    }

    private async Task<HttpClient> CreateLibraryAsync(string lib, NoticeTiming timing, bool onlyOverdue, int patrons)
    {
        // The burst is the morning's overdue step alone: the checkout receipts (sent when the loans are posted,
        // through the same capped provider) and the other steps are switched off, so every email counted is one.
        var scenarios = LibraryDefaults.Scenarios().ToDictionary(s => s.Key, s => onlyOverdue && s.Key is Scenario.PreOverdue or Scenario.Escalation or Scenario.LoanReceipt ? s.Value with { Enabled = false } : s.Value);
        var client = await CreateLibraryAsync(lib, timing, scenarios);
        var store = _app.Services.GetRequiredService<PatronStore>();
        foreach (var chunk in Enumerable.Range(0, patrons).Chunk(100))
        {
            await store.UpsertManyAsync(lib, [.. chunk.Select(i => new Patron
            {
                Id = $"p{i}", Name = $"Reader {i}", Group = "Adults",
                Contacts = [new Contact { Role = ContactRole.Patron, Name = $"Reader {i}", Email = $"reader{i}@{lib}.example.org" }],
            })]);
        }

        return client;
    }

    private async Task<HttpClient> CreateLibraryAsync(string lib, NoticeTiming timing, Dictionary<Scenario, ScenarioSettings> scenarios)
    {
        var library = new Library { Id = lib, Name = $"Library {lib}", FromAddress = $"desk@{lib}.example.org", FromAddressVerified = true, Timing = timing, Scenarios = scenarios };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/libraries") { Content = JsonContent.Create(library, options: CommsJson.Options) };
        request.Headers.Add(LibraryAccess.AdminKeyHeader, AdminKey);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var client = new HttpClient { BaseAddress = _http.BaseAddress, Timeout = _http.Timeout };
        client.DefaultRequestHeaders.Add(LibraryAccess.LibraryKeyHeader, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString());
        return client;
    }

    /// <summary>
    /// Posts, and posts again (up to three times) a call that outlasts the client's timeout: loan posts are idempotent,
    /// and on a saturated emulator one slow answer must not end a run that has been posting for an hour.
    /// </summary>
    private static async Task PostAsync(HttpClient client, string path, object? body)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await client.PostAsync(path, body is null ? null : JsonContent.Create(body, options: CommsJson.Options));
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                return;
            }
            catch (TaskCanceledException) when (attempt < 3)
            {
                Console.WriteLine($"{path}: no answer within {client.Timeout.TotalSeconds:F0} s; posting it again (attempt {attempt + 1})");
            }
        }
    }

    private static async Task<JsonElement> LoanAsync(HttpClient client, string lib, string loan) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/libraries/{lib}/loans/{loan}");

    private static async Task UntilAsync(Func<Task<bool>> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The loan did not get there in time.");
            }

            await Task.Delay(500);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record SchoolResult(
    int Students, int Classes, int Loans, int Expected, int Sent, int Duplicates, int ToStudents, int ToParents, int ToTeachers, int ToHead, int Families,
    double IssueSeconds, double DrainSeconds, double Rate, double PeakMemoryMb);

/// <param name="IssueCalls">Storage calls per loan posted (until the step's instant).</param>
/// <param name="DrainCalls">Storage calls per notice sent, from the step's instant to the last notice.</param>
/// <param name="AzuriteBusy">Each Azurite process's processor time over the drain, per second of drain (1.0 = one core).</param>
public sealed record BurstResult(
    int Loans, int Sent, int Duplicates, double IssueSeconds, double DrainSeconds, double Rate, double PeakMemoryMb,
    StorageCallsPerNotice IssueCalls, StorageCallsPerNotice DrainCalls, IReadOnlyList<double> AzuriteBusy)
{
    /// <summary>How long after the step's instant the last loan was posted (0 = all before it, as intended).</summary>
    public double PostedLateSeconds { get; init; }
}
