using System.Text.Json;
using Comms.Delivery;
using Comms.Tests.Delivery;
using MimeKit;

namespace Comms.Tests.EndToEnd;

/// <summary>One notice a reader should get: the address and the email log's scenario key.</summary>
public sealed record ExpectedNotice(string To, string Scenario);

/// <summary>One message found at a provider: SES's store or the failover's pickup folder.</summary>
public sealed record DeliveredMessage(ExpectedNotice Notice, string Provider, string MessageId);

/// <summary>One email log row, as the API returns it.</summary>
public sealed record LogRow(string NoticeId, string Address, string Scenario, string Status, string? Provider, string? ProviderMessageId, DateTimeOffset Time, string? Reason)
{
    public static LogRow From(JsonElement row) => new(
        Str(row, "noticeId")!, Str(row, "address")!, Str(row, "scenario")!, Str(row, "status")!,
        Str(row, "provider"), Str(row, "providerMessageId"), row.GetProperty("time").GetDateTimeOffset(), Str(row, "reason"));

    public bool Is(string status) => string.Equals(Status, status, StringComparison.OrdinalIgnoreCase);

    /// <summary>A call to a provider: Sent or Failed. Skipped, Suppressed and the rest never reached one.</summary>
    public bool IsProviderCall => Is("Sent") || Is("Failed");

    private static string? Str(JsonElement row, string name) => row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>
/// Compares what every reader should have got with what the providers hold and what the email log says,
/// notice by notice: lost, duplicated, and any notice whose log does not end in one Sent row naming the
/// provider and message that actually carried it.
/// </summary>
public sealed class DeliveryTally
{
    public DeliveryTally(IReadOnlyCollection<ExpectedNotice> expected, IReadOnlyList<DeliveredMessage> deliveries, IReadOnlyList<LogRow> log)
    {
        var byNotice = deliveries.GroupBy(d => d.Notice).ToDictionary(g => g.Key, g => g.ToList());
        Lost = [.. expected.Where(n => !byNotice.ContainsKey(n))];
        Duplicated = [.. byNotice.Where(kv => kv.Value.Count > 1).Select(kv => kv.Key)];
        Unexpected = [.. byNotice.Keys.Except(expected)];
        var rows = log.ToLookup(r => new ExpectedNotice(r.Address, r.Scenario));
        LogProblems = [.. expected.Where(byNotice.ContainsKey).SelectMany(n => Check(n, byNotice[n], [.. rows[n]]))];
    }

    public IReadOnlyList<ExpectedNotice> Lost { get; }
    public IReadOnlyList<ExpectedNotice> Duplicated { get; }
    public IReadOnlyList<ExpectedNotice> Unexpected { get; }
    public IReadOnlyList<string> LogProblems { get; }

    public static ExpectedNotice? FromSubject(string to, string subject, IEnumerable<(string Scenario, string SubjectStart)> notices) =>
        notices.Where(n => subject.StartsWith(n.SubjectStart, StringComparison.Ordinal)).Select(n => new ExpectedNotice(to, n.Scenario)).FirstOrDefault();

    public static IEnumerable<DeliveredMessage> FromSes(IEnumerable<StoredEmail> mail, IReadOnlyList<(string Scenario, string SubjectStart)> notices) =>
        mail.Select(m => FromSubject(m.To.Single(), m.Subject, notices) is { } n ? new DeliveredMessage(n, ProviderNames.Ses, m.MessageId) : null).OfType<DeliveredMessage>();

    /// <summary>The pickup provider's message id is the file name.</summary>
    public static IEnumerable<DeliveredMessage> FromPickup(string folder, IReadOnlyList<(string Scenario, string SubjectStart)> notices) =>
        !Directory.Exists(folder) ? [] : Directory.GetFiles(folder, "*.eml").Select(file =>
        {
            var message = MimeMessage.Load(file);
            return FromSubject(message.To.Mailboxes.Single().Address, message.Subject ?? string.Empty, notices) is { } n ? new DeliveredMessage(n, ProviderNames.Pickup, Path.GetFileName(file)) : null;
        }).OfType<DeliveredMessage>();

    private static IEnumerable<string> Check(ExpectedNotice notice, List<DeliveredMessage> deliveries, List<LogRow> rows)
    {
        var ids = rows.Select(r => r.NoticeId).Distinct().Count();
        var sent = rows.Where(r => r.Is("Sent")).ToList();
        if (ids != 1 || sent.Count != 1)
        {
            yield return $"{notice}: {ids} notice ids and {sent.Count} Sent rows in the log";
            yield break;
        }

        var row = sent[0];
        if (!deliveries.Any(d => d.Provider == row.Provider && d.MessageId == row.ProviderMessageId))
        {
            yield return $"{notice}: the Sent row names {row.Provider} {row.ProviderMessageId}, which holds no such message";
        }

        if (rows.FirstOrDefault(r => r.Is("Failed") && r.Time > row.Time) is { } later)
        {
            yield return $"{notice}: a Failed row ({later.Reason}) after the Sent row";
        }

        // Failover is for a provider that is down: a message in the pickup folder needs SES to have been down for it.
        if (row.Provider == ProviderNames.Pickup && !rows.Any(r => r.Provider == ProviderNames.Ses && r.Is("Failed") && r.Reason?.StartsWith("ProviderDown", StringComparison.Ordinal) == true))
        {
            yield return $"{notice}: sent through the failover without SES being down for it";
        }
    }
}
