using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Comms.Contacts;
using Comms.Functions;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Benchmarks.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Comms.Benchmarks.Delivery;

/// <summary>
/// Notices per second through the whole pipeline (the dispatcher: library rules and the patron's contacts →
/// template render → suppression check → ledger claim → SES call → ledger write → email log) against
/// aws-ses-v2-local and Azurite, beside a bare
/// HttpClient SendEmail loop to the same emulator in the same run, at the same concurrency.
/// Run: dotnet run -c Release --project bench/Comms.Benchmarks -- delivery-ratio [notices] [concurrency]
/// with Azurite on 10000-10002 and aws-ses-v2-local on 8005 (npm run azurite / npm run ses), or
/// COMMS_BENCH_STORAGE / COMMS_BENCH_SES to point elsewhere.
/// </summary>
public static class PipelineBenchmarks
{
    private static readonly System.Text.Json.JsonSerializerOptions PascalCase = new();

    public static async Task RunAsync(string[] args)
    {
        var notices = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        var ses = new Uri(Environment.GetEnvironmentVariable("COMMS_BENCH_SES") ?? "http://127.0.0.1:8005/");
        var storage = Environment.GetEnvironmentVariable("COMMS_BENCH_STORAGE") ?? "UseDevelopmentStorage=true";
        var (bare, pipeline, calls) = await MeasureAsync(storage, ses, notices, concurrency, 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"notices={notices} concurrency={concurrency} bare={bare:F1}/s pipeline={pipeline:F1}/s ratio={pipeline / bare:F2}"));
        Console.WriteLine("table calls per notice: " + StorageCallsPerNotice.Format(calls));
    }

    /// <summary>
    /// Notices per second of the bare loop and of the pipeline, at the same concurrency; with
    /// <paramref name="cap"/> above 0 both are held to that many messages per second (the provider quota).
    /// Also the table calls the pipeline made per notice, by kind and table, counted on the wire.
    /// </summary>
    public static async Task<(double Bare, double Pipeline, StorageCallsPerNotice Calls)> MeasureAsync(string storage, Uri ses, int notices, int concurrency, int cap)
    {
        var prefix = "B" + Guid.NewGuid().ToString("N")[..10];
        var counter = new StorageCallCounter(prefix);
        await using var services = Services(storage, ses, cap, prefix, counter);
        var lib = "bench" + Guid.NewGuid().ToString("N")[..8];
        await services.GetRequiredService<LibraryService>().CreateAsync(new Library { Id = lib, Name = "Bench", FromAddress = "desk@bench.example.org", FromAddressVerified = true });
        // One patron per notice, each with one contact: every notice resolves its own audience.
        var patrons = services.GetRequiredService<PatronStore>();
        foreach (var chunk in Enumerable.Range(-1, notices + 1).Chunk(100))
        {
            await patrons.UpsertManyAsync(lib, [.. chunk.Select(i => new Patron
            {
                Id = $"p{i}", Name = $"Reader {i}", Group = "Adults",
                Contacts = [new Contact { Role = ContactRole.Patron, Name = $"Reader {i}", Email = $"reader{i}@example.org" }],
            })]);
        }

        var dispatcher = services.GetRequiredService<INoticeDispatcher>();
        // The bare loop signs too: SES (and the emulator) refuse unsigned requests.
        using var http = new HttpClient(new Amazon.Runtime.Signing.SigV4SigningHandler(
            new Amazon.Runtime.BasicAWSCredentials("bench", "bench"), Amazon.RegionEndpoint.EUWest1, "ses", new SocketsHttpHandler { AllowAutoRedirect = false }))
        { BaseAddress = ses };
        using var limiter = cap > 0
            ? new System.Threading.RateLimiting.TokenBucketRateLimiter(new() { TokenLimit = cap, TokensPerPeriod = cap, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = int.MaxValue, AutoReplenishment = true })
            : null;

        // Warm both paths (connections, table creation, JIT) before timing.
        await dispatcher.DispatchAsync(Request(lib, "warm", -1));
        await BareSendAsync(http, -1);

        var bare = await TimeAsync(notices, concurrency, async i =>
        {
            if (limiter is not null)
            {
                using var lease = await limiter.AcquireAsync();
            }

            await BareSendAsync(http, i);
        });
        counter.Reset();
        var pipeline = await TimeAsync(notices, concurrency, i => dispatcher.DispatchAsync(Request(lib, "run", i)));
        return (bare, pipeline, new StorageCallsPerNotice(counter.Snapshot(), notices));
    }

    private static async Task<double> TimeAsync(int count, int concurrency, Func<int, Task> send)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) => await send(i));
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task BareSendAsync(HttpClient http, int i)
    {
        using var response = await http.PostAsJsonAsync("v2/email/outbound-emails", new
        {
            FromEmailAddress = "desk@bench.example.org",
            Destination = new { ToAddresses = new[] { $"reader{i}@example.org" } },
            Content = new { Simple = new { Subject = new { Data = $"Overdue {i}" }, Body = new { Text = new { Data = "Your loan is overdue." }, Html = new { Data = "<p>Your loan is overdue.</p>" } } } },
        }, PascalCase);
        response.EnsureSuccessStatusCode();
    }

    // An overdue notice for one loan: the library's default overdue template is rendered for it.
    private static NoticeRequest Request(string lib, string run, int i) => new()
    {
        LibraryId = lib,
        Scenario = new ScenarioKey(Scenario.Overdue),
        SubjectRecordId = $"{run}-{i}",
        ScheduledFor = new DateOnly(2026, 3, 2),
        PatronId = $"p{i}",
        Loans = [new LoanFact($"{run}-{i}", $"Book {i}", "Author", $"B{i:D5}", new DateTimeOffset(2026, 3, 1, 17, 0, 0, TimeSpan.Zero))],
    };

    private static ServiceProvider Services(string storage, Uri ses, int cap, string prefix, StorageCallCounter counter)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Comms:Storage:ConnectionString"] = storage,
            ["Comms:Storage:TablePrefix"] = prefix,
            ["Comms:Security:PlatformAdminKey"] = "bench-admin-key-0123456789",
            ["Comms:Preferences:LinkKey"] = "bench-unsubscribe-link-key-0123456789abcdef",
            // The dispatcher can hand a notice to the outbox (an SMS held for quiet hours), which encrypts what it keeps.
            ["Comms:Outbox:ProtectionKey"] = "bench-outbox-protection-key-0123456789abcdef",
            ["Comms:Preferences:PublicBaseUrl"] = "https://comms.bench.example.org",
            ["Comms:Email:Provider"] = "Ses",
            ["Comms:Email:PlatformSender"] = "notices@bench.example.org",
            ["Comms:Email:Ses:Region"] = "eu-west-1",
            ["Comms:Email:Ses:ServiceUrl"] = ses.ToString(),
            ["Comms:Email:Ses:AccessKeyId"] = "bench",
            ["Comms:Email:Ses:SecretAccessKey"] = "bench",
            ["Comms:Email:Ses:MessagesPerSecond"] = cap.ToString(CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddCommsFunctionApp(configuration);
        // CommsTables takes the SDK's client options when registered: every table call passes the counter.
        var tableOptions = new Azure.Data.Tables.TableClientOptions();
        tableOptions.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerRetry);
        services.AddSingleton(tableOptions);
        return services.BuildServiceProvider();
    }
}
