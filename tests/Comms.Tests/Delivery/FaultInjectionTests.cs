using System.Security.Cryptography;
using System.Text;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Comms.Tests.Delivery.DeliveryTestServices;

namespace Comms.Tests.Delivery;

/// <summary>
/// Many notices through SES (aws-ses-v2-local) while the provider misbehaves: throttling storms, timeouts,
/// permanent rejects. The caller retries whatever reports RetryLater, as a Durable activity retry would.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class FaultInjectionTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private const int Notices = 200;

    [Fact]
    public async Task SendAsync_TransientStormsTimeoutsAndRejects_NoDuplicatesNoLossEveryAttemptLogged()
    {
        ScriptedProvider? ses = null;
        await using var services = Create(emulators, s => s["Comms:Email:Provider"] = "Ses",
            s => Wrap(s, ProviderNames.Ses, p => ses = new ScriptedProvider(p) { Before = Fault }));
        var lib = Unique("storm");
        await CreateLibraryAsync(services, lib);
        var sender = services.GetRequiredService<NoticeSender>();
        var run = Unique("r");
        var notices = Enumerable.Range(0, Notices).Select(i => Notice(lib, $"{run}-{i}",
            new NoticeRecipient($"Reader {i}", i % 10 == 0 ? $"reject{i}@example.org" : $"reader{i}@example.org"))).ToList();

        var pending = notices;
        var rounds = 0;
        while (pending.Count > 0 && rounds < 10)
        {
            rounds++;
            var results = new System.Collections.Concurrent.ConcurrentBag<(Notice Notice, NoticeResult Result)>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (notice, ct) =>
                results.Add((notice, await sender.SendAsync(notice, ct))));
            pending = [.. results.Where(r => r.Result.RetryLater).Select(r => r.Notice)];
        }

        var stored = await SesStore.EmailsAsync(emulators.SesEndpoint, e => e.Subject.StartsWith($"Overdue: {run}-", StringComparison.Ordinal));
        var log = await ReadWholeLogAsync(services.GetRequiredService<EmailLogStore>(), lib);
        var providerCalls = ses!.Calls.Values.Sum();
        var duplicates = stored.GroupBy(e => e.Subject).Count(g => g.Count() > 1);
        var rejected = notices.Count(n => n.Recipients[0].Email!.StartsWith("reject", StringComparison.Ordinal));
        output.WriteLine($"notices={Notices} rounds={rounds} providerCalls={providerCalls} delivered={stored.Count} duplicates={duplicates} " +
            $"rejected={rejected} logSent={log.Count(e => e.Status == EmailStatus.Sent)} logFailed={log.Count(e => e.Status == EmailStatus.Failed)} " +
            $"logSkipped={log.Count(e => e.Status == EmailStatus.Skipped)}");

        Assert.Empty(pending);
        Assert.Equal(0, duplicates);
        Assert.Equal(Notices - rejected, stored.Count);
        Assert.Equal(Notices - rejected, log.Count(e => e.Status == EmailStatus.Sent));
        Assert.Equal(providerCalls, log.Count(e => e.Status is EmailStatus.Sent or EmailStatus.Failed));
        Assert.Equal(rejected, log.Count(e => e.Status == EmailStatus.Failed && e.Reason!.StartsWith("Permanent", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Deterministic faults per (message, call): rejects for "reject*" addresses; otherwise a storm of six
    /// throttles for one notice in seven (more than one run's five attempts), and throttles or timeouts on
    /// early calls for about half of the rest.
    /// </summary>
    private static ProviderResult? Fault(OutgoingEmail email, int call)
    {
        if (email.To[0].Address.StartsWith("reject", StringComparison.Ordinal))
        {
            return ProviderResult.Permanent("SES 400 MessageRejected: scripted");
        }

        var roll = SHA256.HashData(Encoding.UTF8.GetBytes(email.MessageKey))[0];
        if (roll % 7 == 0 && call <= 6)
        {
            return ProviderResult.Transient("SES 429 TooManyRequestsException: storm");
        }

        return (roll % 4, call) switch
        {
            (0, <= 2) => ProviderResult.Transient("SES 429 TooManyRequestsException: scripted"),
            (1, 1) => ProviderResult.Down("SES did not answer in time."),
            _ => null,
        };
    }
}
