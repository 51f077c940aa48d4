using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Notices;
using Comms.Storage;

namespace Comms.Renewals;

/// <summary>
/// Renewal results waiting for a patron's digest, in table RenewalResults: partition "{library}|{patron}", one
/// row per result (loan id + a hash of the result, so posting the same result again is a no-op), and one claim
/// row per digest listing the results it sends. A result stays after it was sent (marked with its digest), so a
/// repeat post of it is still recognised; rows sent more than <see cref="KeepSentFor"/> ago are deleted when the
/// patron's next digest is claimed.
/// </summary>
public sealed class RenewalResultStore(CommsTables tables)
{
    private const string TableName = "RenewalResults";
    private const string ClaimPrefix = "~claim|";
    public static readonly TimeSpan KeepSentFor = TimeSpan.FromDays(35);

    /// <summary>Records a result for the patron's next digest; false when this exact result was recorded before.</summary>
    public async Task<bool> TryRecordAsync(string libraryId, string patronId, RenewalResultFact result, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var identity = $"{result.DueAt.UtcTicks}|{result.Refusal}|{result.FinalRenewal}";
        var row = new JsonRow
        {
            PartitionKey = Partition(libraryId, patronId),
            RowKey = $"{result.LoanId}|{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16]}",
            Data = JsonSerializer.Serialize(StoredResult.From(result), CommsJson.Options),
        };
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Erasing a patron removes their results and claims (they hold titles of what they borrowed).</summary>
    public Task<int> DeletePatronAsync(string libraryId, string patronId, CancellationToken cancellationToken = default) =>
        tables.DeletePartitionAsync(TableName, Partition(libraryId, patronId), cancellationToken);

    public async Task<bool> AnyPendingAsync(string libraryId, string patronId, CancellationToken cancellationToken = default) =>
        (await ReadAsync(libraryId, patronId, cancellationToken)).Results.Any(r => r.Value.DigestId is null);

    /// <summary>
    /// The results digest <paramref name="digestId"/> sends: the first call lists the pending results in a claim
    /// row (a conditional insert), and every later call (a retried activity) gets the same list, so a retry sends
    /// the same email and a result recorded after the claim waits for the next digest.
    /// </summary>
    public async Task<IReadOnlyList<RenewalResultFact>> ClaimAsync(string libraryId, string patronId, string digestId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var (results, claims) = await ReadAsync(libraryId, patronId, cancellationToken);
        if (!claims.TryGetValue(digestId, out var listed))
        {
            listed = [.. results.Where(r => r.Value.DigestId is null).Select(r => r.Key).Order(StringComparer.Ordinal).Take(NoticeLimits.MaxItems)];
            try
            {
                await table.AddEntityAsync(
                    new JsonRow { PartitionKey = Partition(libraryId, patronId), RowKey = ClaimPrefix + digestId, Data = JsonSerializer.Serialize(listed, CommsJson.Options) },
                    cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                (_, claims) = await ReadAsync(libraryId, patronId, cancellationToken);
                listed = claims[digestId];
            }
        }

        await ForgetOldAsync(table, libraryId, patronId, results, claims, now, cancellationToken);
        return [.. listed.Where(results.ContainsKey).Select(key => results[key].ToFact())];
    }

    /// <summary>Marks the digest's results sent, so the next digest leaves them out.</summary>
    public async Task MarkSentAsync(string libraryId, string patronId, string digestId, DateTimeOffset sentAt, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var (results, claims) = await ReadAsync(libraryId, patronId, cancellationToken);
        foreach (var key in claims.GetValueOrDefault(digestId) ?? [])
        {
            if (results.TryGetValue(key, out var stored) && stored.DigestId is null)
            {
                var row = new JsonRow { PartitionKey = Partition(libraryId, patronId), RowKey = key, Data = JsonSerializer.Serialize(stored with { DigestId = digestId, SentAt = sentAt }, CommsJson.Options) };
                await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
            }
        }
    }

    private static async Task ForgetOldAsync(TableClient table, string libraryId, string patronId, Dictionary<string, StoredResult> results, Dictionary<string, IReadOnlyList<string>> claims, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var old = results.Where(r => r.Value.SentAt is { } sent && now - sent > KeepSentFor).ToList();
        foreach (var (key, stored) in old)
        {
            await table.DeleteEntityAsync(Partition(libraryId, patronId), key, cancellationToken: cancellationToken);
            if (stored.DigestId is { } digest && claims.ContainsKey(digest))
            {
                await table.DeleteEntityAsync(Partition(libraryId, patronId), ClaimPrefix + digest, cancellationToken: cancellationToken);
                claims.Remove(digest);
            }
        }
    }

    private async Task<(Dictionary<string, StoredResult> Results, Dictionary<string, IReadOnlyList<string>> Claims)> ReadAsync(string libraryId, string patronId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName);
        var results = new Dictionary<string, StoredResult>(StringComparer.Ordinal);
        var claims = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var partition = Partition(libraryId, patronId);
        await foreach (var row in table.QueryAsync<JsonRow>(r => r.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith(ClaimPrefix, StringComparison.Ordinal))
            {
                claims[row.RowKey[ClaimPrefix.Length..]] = JsonSerializer.Deserialize<List<string>>(row.Data, CommsJson.Options)!;
            }
            else
            {
                results[row.RowKey] = JsonSerializer.Deserialize<StoredResult>(row.Data, CommsJson.Options)!;
            }
        }

        return (results, claims);
    }

    private static string Partition(string libraryId, string patronId) => $"{libraryId}|{patronId}";

    /// <summary>The row's document: properties rather than a positional record, since stored JSON leaves nulls out.</summary>
    private sealed record StoredResult
    {
        public required string LoanId { get; init; }
        public required string Title { get; init; }
        public string? Author { get; init; }
        public string? Barcode { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public DateTimeOffset PreviousDueAt { get; init; }
        public Templates.RenewalRefusal? Refusal { get; init; }
        public bool FinalRenewal { get; init; }

        /// <summary>The digest that sent it; null while it waits for one.</summary>
        public string? DigestId { get; init; }

        public DateTimeOffset? SentAt { get; init; }

        public static StoredResult From(RenewalResultFact fact) => new()
        {
            LoanId = fact.LoanId,
            Title = fact.Title,
            Author = fact.Author,
            Barcode = fact.Barcode,
            DueAt = fact.DueAt,
            PreviousDueAt = fact.PreviousDueAt,
            Refusal = fact.Refusal,
            FinalRenewal = fact.FinalRenewal,
        };

        public RenewalResultFact ToFact() => new(LoanId, Title, Author, Barcode, DueAt, PreviousDueAt, Refusal, FinalRenewal);
    }
}
