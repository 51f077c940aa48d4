using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Comms.Common;
using Comms.DevHost;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Security;
using Comms.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Comms.Tests.Circulation;

/// <summary>
/// The dev host on the real durable engine (Azure Storage backend on Azurite), with one ladder day lasting
/// <see cref="DayLength"/>, a recording dispatcher and its own task hub. Started once and shared by the
/// circulation tests; each test uses its own library so they never see each other's notices.
/// </summary>
public sealed class CirculationHost
{
    public static readonly TimeSpan DayLength = TimeSpan.FromSeconds(1);

    /// <summary>How long a repeated loan post waits for a start an earlier post may have queued.</summary>
    public static readonly TimeSpan StartGrace = TimeSpan.FromSeconds(3);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static CirculationHost? _shared;

    private CirculationHost(WebApplication app, HttpClient http, RecordingNoticeDispatcher notices, string taskHub, string storage, string tablePrefix)
    {
        TablePrefix = tablePrefix;
        App = app;
        Http = http;
        Notices = notices;
        TaskHub = taskHub;
        Storage = storage;
    }

    public WebApplication App { get; }
    public HttpClient Http { get; }
    public RecordingNoticeDispatcher Notices { get; }

    /// <summary>
    /// What the ladders sent about each patron: everything but the checkout receipt (which every issue sends at once)
    /// and the shared contacts' own emails per step (ContactDigestTests covers those).
    /// </summary>
    public IReadOnlyList<NoticeRequest> LadderNotices(string libraryId) =>
        [.. Notices.For(libraryId).Where(r => r.Scenario.Scenario != Scenario.LoanReceipt && r.ContactDigest is null)];

    /// <summary>The shared contacts' emails per step (household, class list, summary).</summary>
    public IReadOnlyList<NoticeRequest> ContactNotices(string libraryId) =>
        [.. Notices.For(libraryId).Where(r => r.ContactDigest is not null)];
    public string TaskHub { get; }
    public string Storage { get; }
    public string TablePrefix { get; }

    /// <summary>What the host logged at Error or above (the durable engine's failures among it).</summary>
    public IReadOnlyCollection<string> LoggedErrors => Errors.Lines;

    private ErrorRecorder Errors { get; init; } = new();

    public static async Task<CirculationHost> GetAsync(EmulatorFixture emulators)
    {
        await Gate.WaitAsync();
        try
        {
            return _shared ??= await StartAsync(emulators);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A host of its own on the given task hub (whose queues may already hold messages), for tests that must control when the worker starts.</summary>
    /// <remarks>It uses the tables of <paramref name="sameTablesAs"/>, so libraries and loans stored there are its own.</remarks>
    public static Task<CirculationHost> StartOwnAsync(EmulatorFixture emulators, string taskHub, CirculationHost sameTablesAs) =>
        StartAsync(emulators, taskHub, sameTablesAs.TablePrefix);

    private static async Task<CirculationHost> StartAsync(EmulatorFixture emulators, string? taskHub = null, string? tablePrefix = null)
    {
        var settings = TestServices.Settings(emulators);
        taskHub ??= "T" + Guid.NewGuid().ToString("N")[..12];
        if (tablePrefix is not null)
        {
            settings["Comms:Storage:TablePrefix"] = tablePrefix;
        }

        settings["Comms:TaskHubName"] = taskHub;
        settings["Comms:Circulation:DayLength"] = DayLength.ToString("c", CultureInfo.InvariantCulture);
        settings["Comms:Circulation:StartGrace"] = StartGrace.ToString("c", CultureInfo.InvariantCulture);
        settings["DevHost:Durable:MaxQueuePollingInterval"] = "00:00:00.1";
        settings["DevHost:Durable:PartitionCount"] = "2";
        settings["Logging:LogLevel:Default"] = "Warning";
        var notices = new RecordingNoticeDispatcher();
        var errors = new ErrorRecorder();
        var app = DevHostApp.Build([], builder =>
        {
            builder.Logging.AddProvider(errors);
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton<INoticeDispatcher>(notices);
        });
        await app.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => app.StopAsync().Wait(TimeSpan.FromSeconds(5));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        return new CirculationHost(app, http, notices, taskHub, emulators.StorageConnectionString, settings["Comms:Storage:TablePrefix"]!) { Errors = errors };
    }

    /// <summary>The patrons every test library has (a loan for an unknown patron is refused).</summary>
    public static readonly string[] PatronIds = ["p1", "p2", "family", "neighbour"];

    /// <summary>Creates a library with the given ladder timing and the patrons <see cref="PatronIds"/>; returns a client that sends its key.</summary>
    public async Task<HttpClient> CreateLibraryAsync(string libraryId, NoticeTiming timing) =>
        await CreateLibraryAsync(Samples.Library(libraryId) with { Timing = timing, TimeZone = "UTC" });

    /// <summary>Creates the library and the patrons <see cref="PatronIds"/>; returns a client that sends its key.</summary>
    public async Task<HttpClient> CreateLibraryAsync(Library library)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/libraries") { Content = JsonContent.Create(library, options: CommsJson.Options) };
        request.Headers.Add(LibraryAccess.AdminKeyHeader, TestServices.AdminKey);
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var apiKey = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
        var client = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = Http.Timeout };
        client.DefaultRequestHeaders.Add(LibraryAccess.LibraryKeyHeader, apiKey);
        foreach (var patronId in PatronIds)
        {
            using var put = await client.PutAsJsonAsync($"/api/libraries/{library.Id}/patrons/{patronId}", Samples.Patron(patronId), CommsJson.Options);
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        return client;
    }

    /// <summary>The history table rows of one instance (its current execution), grouped by event type.</summary>
    public async Task<Dictionary<string, int>> HistoryAsync(string instanceId)
    {
        var table = new TableClient(Storage, TaskHub + "History");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(r => r.PartitionKey == instanceId))
        {
            if (row.GetString("EventType") is { } type)
            {
                counts[type] = counts.GetValueOrDefault(type) + 1;
            }
        }

        return counts;
    }

    public static async Task<T> EventuallyAsync<T>(Func<T> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            }

            await Task.Delay(200);
        }
    }

    private sealed class ErrorRecorder : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Recorder(ErrorRecorder owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    owner.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception?.Message}");
                }
            }
        }
    }
}
