using System.Diagnostics;
using System.Text.Json;
using Comms.Common;
using Comms.Delivery;
using Comms.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Comms.DevHost.Demo;

/// <summary>
/// Once the host listens, sets up the demo library over the app's own HTTP API (the calls a library system
/// makes), prints where to look, then follows the email log and prints each kind of notice as it is first sent,
/// and the time until every kind has been.
/// </summary>
public sealed partial class DemoSeeder(IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration, IOptions<EmailOptions> email, TimeProvider time, ILogger<DemoSeeder> logger) : BackgroundService
{
    private static readonly TimeSpan FollowFor = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StartedAsync(stoppingToken))
        {
            return;
        }

        var baseAddress = new Uri(server.Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var clock = Stopwatch.StartNew();
        try
        {
            var (id, key) = await SeedAsync(http, stoppingToken);
            Console.Out.Write(Where(baseAddress, id, key));
            await FollowAsync(http, id, key, clock, stoppingToken);
        }
        catch (Exception e) when (e is HttpRequestException or DemoSetupException)
        {
            LogSeedFailed(logger, e);
        }
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(started.SetResult);
        await Task.WhenAny(started.Task, Task.Delay(Timeout.Infinite, stoppingToken));
        return started.Task.IsCompleted;
    }

    private async Task<(string Id, string Key)> SeedAsync(HttpClient http, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var day = DemoMode.DayLength;
        var library = DemoLibrary.Library(DemoLibrary.NewId(now));
        var created = await SendAsync(http, HttpMethod.Post, "/api/libraries", library, adminKey: configuration["Comms:Security:PlatformAdminKey"], ct: ct);
        var key = created.GetProperty("apiKey").GetString()!;
        var root = $"/api/libraries/{library.Id}";

        foreach (var patron in DemoLibrary.Patrons)
        {
            await SendAsync(http, HttpMethod.Put, $"{root}/patrons/{patron.Id}", patron, key, ct: ct);
        }

        await SendAsync(http, HttpMethod.Put, $"{root}/suppliers/{DemoLibrary.Supplier.Id}", DemoLibrary.Supplier, key, ct: ct);

        // Ada's two books fall due together, so each step reaches her family as one digest listing both.
        var due = now + (day * DemoLibrary.DueInDays);
        await SendAsync(http, HttpMethod.Post, $"{root}/loans", new
        {
            patronId = "ada",
            loans = new[]
            {
                new { loanId = "L-ada-dune", title = "Dune", author = "Frank Herbert", barcode = "39001", dueAt = due },
                new { loanId = "L-ada-emma", title = "Emma", author = "Jane Austen", barcode = "39002", dueAt = due },
            },
        }, key, ct: ct);
        await SendAsync(http, HttpMethod.Post, $"{root}/loans", new { loanId = "L-ben-matilda", patronId = "ben", title = "Matilda", author = "Roald Dahl", barcode = "39003", dueAt = due }, key, ct: ct);

        // Cal's loan is weeks away from its due date; another reader wants it, so it is recalled at once.
        await SendAsync(http, HttpMethod.Post, $"{root}/loans", new { loanId = "L-cal-middlemarch", patronId = "cal", title = "Middlemarch", author = "George Eliot", barcode = "39004", dueAt = now + (day * 40) }, key, ct: ct);
        await SendAsync(http, HttpMethod.Post, $"{root}/loans/L-cal-middlemarch/recall", new { newDueAt = now + (day * 20), reason = "Requested by another reader" }, key, ct: ct);

        // Cal's reservation is ready at once; the reminder and the expiry follow because nobody collects it.
        await SendAsync(http, HttpMethod.Post, $"{root}/reservations", new { reservationId = "R-cal-hobbit", patronId = "cal", title = "The Hobbit", author = "J. R. R. Tolkien", pickupLocation = "Front desk" }, key, ct: ct);
        await SendAsync(http, HttpMethod.Post, $"{root}/reservations/R-cal-hobbit/ready", new { pickupBy = now + (day * DemoLibrary.PickupByInDays), pickupLocation = "Front desk" }, key, ct: ct);

        await SendAsync(http, HttpMethod.Post, $"{root}/orders", DemoLibrary.Order, key, ct: ct);
        return (library.Id, key);
    }

    private string Where(Uri baseAddress, string id, string key)
    {
        var api = baseAddress.ToString().TrimEnd('/');
        var outbox = email.Value.Provider == ProviderNames.Pickup ? email.Value.Pickup.Directory : $"provider {email.Value.Provider}";
        return $"""

            Demo library seeded: 3 readers (a parent and a teacher among their contacts), a supplier, 4 loans, a recall,
            a reservation and an order. One ladder day lasts {DemoMode.DayLength.TotalSeconds:0} s, so the whole ladder arrives within about a minute.
              Library id   {id}
              Library key  {key}
              Outbox       {outbox}
              Staff page   {api}/api/staff/  (sign in with the library id and key above)
              Email log    curl -H 'X-Library-Key: {key}' {api}/api/libraries/{id}/email-log

            """;
    }

    /// <summary>Polls the email log (Sent rows) and prints each scenario the first time it is sent.</summary>
    private async Task FollowAsync(HttpClient http, string id, string key, Stopwatch clock, CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (clock.Elapsed < FollowFor && !ct.IsCancellationRequested)
        {
            var page = await SendAsync(http, HttpMethod.Get, $"/api/libraries/{id}/email-log?status=Sent&pageSize=1000", null, key, ct: ct);
            var rows = page.GetProperty("items").EnumerateArray().ToList();
            foreach (var row in rows.AsEnumerable().Reverse())
            {
                var scenario = row.GetProperty("scenario").GetString()!;
                if (seen.Add(scenario))
                {
                    Console.Out.WriteLine($"  {clock.Elapsed.TotalSeconds,4:0} s  {scenario,-22} to {row.GetProperty("address").GetString()}");
                }
            }

            if (DemoLibrary.ExpectedScenarios.All(seen.Contains))
            {
                Console.Out.WriteLine($"Demo: every kind of notice arrived ({DemoLibrary.ExpectedScenarios.Count} kinds, {rows.Count} emails) {clock.Elapsed.TotalSeconds:0} s after the demo started.");
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, object? body, string? libraryKey = null, string? adminKey = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: CommsJson.Options);
        }

        if (libraryKey is not null)
        {
            request.Headers.Add(LibraryAccess.LibraryKeyHeader, libraryKey);
        }

        if (adminKey is not null)
        {
            request.Headers.Add(LibraryAccess.AdminKeyHeader, adminKey);
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new DemoSetupException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The demo could not be set up")]
    private static partial void LogSeedFailed(ILogger logger, Exception exception);

    private sealed class DemoSetupException(string message) : Exception(message);
}
