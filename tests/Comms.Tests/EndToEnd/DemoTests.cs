using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Comms.DevHost.Demo;
using Comms.Tests.Infrastructure;
using MimeKit;
using Xunit.Abstractions;

namespace Comms.Tests.EndToEnd;

/// <summary>
/// `dotnet run --project src/Comms.DevHost -- --demo` as a newcomer runs it: the dev host as its own process in
/// the project folder (where `dotnet run` starts it), demo days, the pickup folder as provider. Every kind of
/// notice must reach the outbox and the email log, once per recipient, and the start must be quiet.
/// </summary>
[Collection(DevHostRunCollection.Name)]
public sealed partial class DemoTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(4);

    /// <summary>Who receives what in the demo library: the library's default roles, plus the teacher for escalations.</summary>
    private static readonly string[] Expected =
    [
        "ada@pupils.example.org loan-receipt", "ada@pupils.example.org pre-overdue", "ada@pupils.example.org overdue",
        "ada@pupils.example.org escalation-1", "ada@pupils.example.org escalation-2",
        "anne.lovelace@home.example.org loan-receipt", "anne.lovelace@home.example.org overdue",
        "anne.lovelace@home.example.org escalation-1", "anne.lovelace@home.example.org escalation-2",
        "ben@pupils.example.org loan-receipt", "ben@pupils.example.org pre-overdue", "ben@pupils.example.org overdue",
        "ben@pupils.example.org escalation-1", "ben@pupils.example.org escalation-2",
        "g.hopper@staff.example.org escalation-1", "g.hopper@staff.example.org escalation-2",
        "cal@pupils.example.org loan-receipt", "cal@pupils.example.org recall", "cal@pupils.example.org reservation-requested",
        "cal@pupils.example.org reservation-ready", "cal@pupils.example.org reservation-expiring", "cal@pupils.example.org reservation-expired",
        "orders@booksource.example.com supplier-order",
    ];

    [Fact]
    public async Task Demo_RunFromTheProjectFolder_EveryKindOfNoticeReachesTheRootOutboxAndTheEmailLogAfterAQuietStart()
    {
        var settings = DevHostProcess.Settings(emulators);
        settings["Comms:Email:Provider"] = "Pickup";
        // The dev host's own log levels: the start must be quiet without the tests' help.
        settings.Remove("Logging:LogLevel:Default");
        // Relative, as in appsettings.json: it must resolve from the repository root, not the project folder.
        var relativeOutbox = Path.Combine(".data", "demo-test-outbox", Guid.NewGuid().ToString("N"));
        settings["Comms:Email:Pickup:Directory"] = relativeOutbox;
        var outbox = RepoPaths.File(relativeOutbox);
        var clock = Stopwatch.StartNew();
        await using var host = await DevHostProcess.StartAsync(settings, RepoPaths.File("src", "Comms.DevHost"), DemoMode.Switch);
        try
        {
            var text = await E2eLibrary.EventuallyAsync(
                () => Task.FromResult(host.Output),
                o => o.Contains("Demo: every kind of notice arrived", StringComparison.Ordinal) || o.Contains("The demo could not be set up", StringComparison.Ordinal),
                Wait,
                o => o);
            output.WriteLine($"Full ladder {clock.Elapsed.TotalSeconds:0} s after the process started.\n{text}");
            Assert.DoesNotContain("The demo could not be set up", text, StringComparison.Ordinal);

            // Quiet: the banner, and nothing logged as a warning or an error before it.
            var start = text[..text.IndexOf("Comms dev host is running.", StringComparison.Ordinal)];
            Assert.DoesNotMatch(WarningOrError(), start);
            Assert.DoesNotContain("Hosting environment", text, StringComparison.Ordinal);

            var id = LibraryLine().Match(text).Groups[1].Value;
            var key = KeyLine().Match(text).Groups[1].Value;
            Assert.Contains($"/api/staff/", text, StringComparison.Ordinal);
            Assert.Contains(outbox, text, StringComparison.Ordinal);

            // The email log: every recipient's notices, each exactly once.
            var log = await E2eLibrary.EventuallyAsync(() => SentAsync(host, id, key), rows => Expected.All(rows.Contains), Wait, rows => string.Join("; ", rows));
            Assert.Equal(Expected.Order(StringComparer.Ordinal), log.Order(StringComparer.Ordinal));

            // The outbox: one .eml per Sent row, at the repository root though the process ran in src/Comms.DevHost.
            var mail = await E2eLibrary.EventuallyAsync(() => Task.FromResult(Outbox(outbox)), m => m.Count >= Expected.Length, Wait, m => $"{m.Count} files");
            Assert.Equal(
                Expected.Select(e => e.Split(' ')[0]).Order(StringComparer.Ordinal),
                mail.SelectMany(m => m.To.Mailboxes).Select(a => a.Address).Order(StringComparer.Ordinal));
            Assert.False(Directory.Exists(RepoPaths.File("src", "Comms.DevHost", relativeOutbox)));
        }
        finally
        {
            await host.KillAsync();
            if (Directory.Exists(outbox))
            {
                Directory.Delete(outbox, recursive: true);
            }
        }
    }

    /// <summary>"address scenario" for every Sent row of the library's email log.</summary>
    private static async Task<List<string>> SentAsync(DevHostProcess host, string libraryId, string key)
    {
        using var request = ApiClient.Request(HttpMethod.Get, $"/api/libraries/{libraryId}/email-log?status=Sent&pageSize=1000", libraryKey: key);
        using var response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.JsonAsync();
        return [.. page["items"]!.AsArray().Select(r => $"{r!["address"]} {r["scenario"]}")];
    }

    private static List<MimeMessage> Outbox(string folder) =>
        Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*.eml").Select(f => MimeMessage.Load(f))] : [];

    [GeneratedRegex(@"^(warn|fail|crit): ", RegexOptions.Multiline)]
    private static partial Regex WarningOrError();

    [GeneratedRegex(@"Library id\s+(\S+)")]
    private static partial Regex LibraryLine();

    [GeneratedRegex(@"Library key\s+(\S+)")]
    private static partial Regex KeyLine();
}
