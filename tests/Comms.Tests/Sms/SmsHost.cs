using Comms.Contacts;
using Comms.DevHost;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Security;
using Comms.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Comms.Tests.Sms;

/// <summary>
/// The dev host as it runs for real (durable engine on Azurite, the real dispatcher, the outbox's queue function), email to
/// the pickup folder and SMS through the ACS SMS client to <see cref="AcsSmsTestServer"/>. Started once and shared; each
/// test uses its own library and its own phone numbers.
/// </summary>
public sealed class SmsHost
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static SmsHost? _shared;

    private SmsHost(WebApplication app, AcsSmsTestServer acs, Dictionary<string, string?> settings)
    {
        App = app;
        Acs = acs;
        Settings = settings;
    }

    public WebApplication App { get; }
    public AcsSmsTestServer Acs { get; }
    public Dictionary<string, string?> Settings { get; }
    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    public static async Task<SmsHost> GetAsync(EmulatorFixture emulators)
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

    private static async Task<SmsHost> StartAsync(EmulatorFixture emulators)
    {
        var acs = await AcsSmsTestServer.StartAsync();
        var settings = TestServices.Settings(emulators);
        settings["Comms:TaskHubName"] = "S" + Guid.NewGuid().ToString("N")[..12];
        settings["Comms:Circulation:StartGrace"] = "00:00:01";
        settings["DevHost:Durable:MaxQueuePollingInterval"] = "00:00:00.1";
        settings["DevHost:Durable:PartitionCount"] = "2";
        settings["Comms:Sms:Provider"] = "Acs";
        settings["Comms:Sms:From"] = "+18005550100";
        settings["Comms:Sms:Acs:ConnectionString"] = acs.ConnectionString;
        var app = DevHostApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => app.StopAsync().Wait(TimeSpan.FromSeconds(5));
        return new SmsHost(app, acs, settings);
    }

    /// <summary>Creates the library and its patrons; returns a client sending the library's key.</summary>
    public async Task<HttpClient> CreateLibraryAsync(Library library, params Patron[] patrons)
    {
        var (_, apiKey) = await App.Services.GetRequiredService<LibraryService>().CreateAsync(library);
        foreach (var patron in patrons)
        {
            await App.Services.GetRequiredService<PatronService>().UpsertAsync(library.Id, patron.Id, patron);
        }

        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add(LibraryAccess.LibraryKeyHeader, apiKey);
        return client;
    }

    public async Task<IReadOnlyList<EmailLogEntry>> LogAsync(string libraryId) =>
        (await App.Services.GetRequiredService<EmailLogStore>().QueryAsync(libraryId, new EmailLogQuery { PageSize = 1000 })).Items;

    /// <summary>A mobile number no other test uses (UK drama range, never a real phone).</summary>
    public static string NewNumber() => "+447700" + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A patron whose only contact has no email, only a mobile number.</summary>
    public static Patron PatronWithoutEmail(string id, string phone) => new()
    {
        Id = id,
        Name = $"Patron {id}",
        Contacts = [new Contact { Role = ContactRole.Patron, Name = $"Patron {id}", Phone = phone }],
    };
}
