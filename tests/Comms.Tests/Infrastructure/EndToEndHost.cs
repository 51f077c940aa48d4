using System.Globalization;
using Comms.Contacts;
using Comms.DevHost;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Comms.Tests.Infrastructure;

/// <summary>
/// The dev host as it runs for real: durable engine on Azurite, the REAL notice dispatcher and delivery pipeline,
/// the pickup folder as provider and the email log in Azurite. One ladder day lasts <see cref="DayLength"/>.
/// Started once and shared; each test uses its own library, and reads only that library's mail and log.
/// </summary>
public sealed class EndToEndHost
{
    public static readonly TimeSpan DayLength = TimeSpan.FromSeconds(1);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static EndToEndHost? _shared;

    private EndToEndHost(WebApplication app, HttpClient http, string outbox)
    {
        App = app;
        Http = http;
        OutboxDirectory = outbox;
    }

    public WebApplication App { get; }
    public HttpClient Http { get; }
    public string OutboxDirectory { get; }

    public static async Task<EndToEndHost> GetAsync(EmulatorFixture emulators)
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

    private static async Task<EndToEndHost> StartAsync(EmulatorFixture emulators)
    {
        var settings = TestServices.Settings(emulators);
        settings["Comms:TaskHubName"] = "E" + Guid.NewGuid().ToString("N")[..12];
        settings["Comms:Circulation:DayLength"] = DayLength.ToString("c", CultureInfo.InvariantCulture);
        settings["Comms:Circulation:StartGrace"] = "00:00:03";
        settings["DevHost:Durable:MaxQueuePollingInterval"] = "00:00:00.1";
        settings["DevHost:Durable:PartitionCount"] = "2";
        settings["Logging:LogLevel:Default"] = "Warning";
        var app = DevHostApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => app.StopAsync().Wait(TimeSpan.FromSeconds(5));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        return new EndToEndHost(app, http, settings["Comms:Email:Pickup:Directory"]!);
    }

    /// <summary>Creates the library (UTC, so scaled days are plain seconds) and patron p1; returns a client sending the library's key.</summary>
    public async Task<HttpClient> CreateLibraryAsync(Library library, params Patron[] patrons)
    {
        var (_, apiKey) = await App.Services.GetRequiredService<LibraryService>().CreateAsync(library);
        foreach (var patron in patrons)
        {
            await App.Services.GetRequiredService<PatronService>().UpsertAsync(library.Id, patron.Id, patron);
        }

        var client = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = Http.Timeout };
        client.DefaultRequestHeaders.Add(LibraryAccess.LibraryKeyHeader, apiKey);
        return client;
    }

    /// <summary>
    /// The library's messages in the pickup folder (From is the library's verified address), once the library's
    /// queued notices have all been attempted.
    /// </summary>
    public async Task<List<MimeMessage>> OutboxAsync(string libraryId)
    {
        await OutboxDrain.WaitAsync(App.Services, libraryId);
        return PickedUp(libraryId);
    }

    /// <summary>
    /// What is in the pickup folder for the library now, without waiting for its queued notices: for mail the durable
    /// engine or the request itself sends, which a test waits for on its own terms.
    /// </summary>
    public List<MimeMessage> Outbox(string libraryId) => PickedUp(libraryId);

    private List<MimeMessage> PickedUp(string libraryId) =>
        !Directory.Exists(OutboxDirectory) ? [] : [.. Directory.GetFiles(OutboxDirectory, "*.eml")
            .Select(f => MimeMessage.Load(f))
            .Where(m => m.From.Mailboxes.Any(a => a.Address == $"desk@{libraryId}.example.org"))];

    /// <summary>The library's email log once its queued notices have all been attempted.</summary>
    public async Task<IReadOnlyList<EmailLogEntry>> LogAsync(string libraryId)
    {
        await OutboxDrain.WaitAsync(App.Services, libraryId);
        return (await App.Services.GetRequiredService<EmailLogStore>().QueryAsync(libraryId, new EmailLogQuery { PageSize = 1000 })).Items;
    }

    /// <summary>Scenario keys of the library's Sent log rows, oldest first.</summary>
    public async Task<List<string>> SentAsync(string libraryId) =>
        [.. (await LogAsync(libraryId)).Where(e => e.Status == EmailStatus.Sent).Reverse().Select(e => e.Scenario)];

    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last: {value}.");
            }

            await Task.Delay(200);
        }
    }
}
