using Comms.EmailLog;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.BrowserTests;

/// <summary>Email log rows for the test library, written through the log's own store.</summary>
public static class LogSeed
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Hourly from <see cref="Start"/>: every fifth a failed escalation-1 to reader-fail@, the rest overdue notices
    /// sent to reader{i}@; the first day holds hours 0-14, so a date range can cut them.
    /// </summary>
    public static Task AppendAsync(DevHostServer server, int count) =>
        server.Services.GetRequiredService<EmailLogStore>().AppendManyAsync([.. Enumerable.Range(0, count).Select(i =>
        {
            var time = Start.AddHours(i);
            var failed = i % 5 == 4;
            return new EmailLogEntry
            {
                Id = EmailLogStore.NewId(time),
                Time = time,
                LibraryId = Infrastructure.StaffPageSession.LibraryId,
                Scenario = failed ? "escalation-1" : "overdue",
                NoticeId = $"n{i}",
                Address = failed ? "reader-fail@example.org" : $"reader{i}@example.org",
                RecipientName = $"Reader {i}",
                Subject = $"Notice {i}",
                Status = failed ? EmailStatus.Failed : EmailStatus.Sent,
                Reason = failed ? "Mailbox unavailable" : null,
                Provider = "Pickup",
            };
        })]);
}
