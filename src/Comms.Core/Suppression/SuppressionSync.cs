using System.Diagnostics;
using Azure.Data.Tables;
using Comms.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Comms.Suppression;

/// <summary>
/// Copies each enabled provider's suppression list into the blacklist. Pages are streamed: one page is held,
/// written in batches, then its next-page token is checkpointed, so memory is flat for any list length and a
/// run cut off (deadline, crash, throttling) resumes at the page it had reached. Incremental runs read only
/// what changed since the watermark; every <see cref="SuppressionOptions.FullResyncDays"/> a full run reads
/// everything and then removes this source's entries it did not see (addresses the provider let go).
/// </summary>
public sealed partial class SuppressionSync(
    IEnumerable<ISuppressionSource> sources,
    BlacklistStore blacklist,
    CommsTables tables,
    IOptions<SuppressionOptions> options,
    TimeProvider clock,
    ILogger<SuppressionSync> logger)
{
    public const string TableName = "SuppressionSync";

    public async Task<IReadOnlyList<SyncResult>> RunAsync(CancellationToken cancellationToken = default)
    {
        var results = new List<SyncResult>();
        foreach (var source in sources.Where(s => s.IsEnabled))
        {
            results.Add(await RunAsync(source, cancellationToken: cancellationToken));
        }

        return results;
    }

    /// <summary>Runs one source: resumes its interrupted run, or starts a new one (full when due or forced).</summary>
    public async Task<SyncResult> RunAsync(ISuppressionSource source, bool forceFull = false, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var table = await tables.GetAsync(TableName);
        var found = await table.GetEntityIfExistsAsync<SyncState>(source.Name, "state", cancellationToken: cancellationToken);
        var state = found.HasValue && found.Value is not null ? found.Value : new SyncState { PartitionKey = source.Name };
        var now = clock.GetUtcNow();
        var resumed = state.RunStartedAt is not null;
        if (!resumed)
        {
            var full = forceFull || !source.SupportsIncremental || state.Watermark is null || state.LastFullSyncAt is null
                || now - state.LastFullSyncAt >= TimeSpan.FromDays(o.FullResyncDays);
            state.RunStartedAt = now;
            state.RunFull = full;
            state.RunWindowStart = full ? null : state.Watermark!.Value.AddMinutes(-o.OverlapMinutes);
            state.RunWindowEnd = source.SupportsIncremental ? now : null;
            state.NextToken = null;
            state.RunProcessed = 0;
            state.RunPages = 0;
            await table.UpsertEntityAsync(state, TableUpdateMode.Replace, cancellationToken);
        }

        LogStart(logger, source.Name, state.RunFull, resumed, state.RunPages);
        var window = new SyncWindow(state.RunWindowStart, state.RunWindowEnd);
        var deadline = Stopwatch.StartNew();
        var seenAt = state.RunStartedAt!.Value;
        while (true)
        {
            if (deadline.Elapsed >= TimeSpan.FromSeconds(o.MaxRunSeconds))
            {
                LogCutOff(logger, source.Name, state.RunPages, state.RunProcessed);
                return new SyncResult(source.Name, state.RunFull, Completed: false, resumed, state.RunProcessed, state.RunPages, 0);
            }

            SuppressionPage page;
            try
            {
                page = await source.ReadPageAsync(window, state.NextToken, cancellationToken);
            }
            catch (SuppressionProviderException e) when (e.TokenExpired && state.NextToken is not null)
            {
                // The provider forgot the checkpoint (tokens expire): read the same window again from its start.
                LogTokenExpired(logger, source.Name);
                state.NextToken = null;
                continue;
            }

            var entries = page.Items
                .Select(i => Common.EmailAddress.TryNormalize(i.Address, out var a)
                    ? new BlacklistEntry { Address = a, Reason = i.Reason, Source = source.Name, UpdatedAt = i.UpdatedAt, ProviderRef = i.ProviderRef }
                    : null)
                .OfType<BlacklistEntry>();
            state.RunProcessed += await blacklist.UpsertManyAsync(entries, seenAt, cancellationToken);
            state.RunPages++;
            state.NextToken = page.NextToken;
            await table.UpsertEntityAsync(state, TableUpdateMode.Replace, cancellationToken);
            if (state.NextToken is null)
            {
                break;
            }
        }

        var swept = state.RunFull ? await blacklist.SweepAsync(source.Name, seenAt, cancellationToken) : 0;
        var result = new SyncResult(source.Name, state.RunFull, Completed: true, resumed, state.RunProcessed, state.RunPages, swept);
        state.Watermark = state.RunWindowEnd ?? seenAt;
        state.LastFullSyncAt = state.RunFull ? seenAt : state.LastFullSyncAt;
        state.RunStartedAt = null;
        state.RunWindowStart = null;
        state.RunWindowEnd = null;
        await table.UpsertEntityAsync(state, TableUpdateMode.Replace, cancellationToken);
        LogDone(logger, source.Name, result.Full, result.Processed, result.Pages, swept);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Suppression sync {Source}: full={Full}, resumed={Resumed} at page {Page}.")]
    private static partial void LogStart(ILogger logger, string source, bool full, bool resumed, int page);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suppression sync {Source} stopped at its deadline after {Pages} pages ({Processed} addresses); the next run resumes.")]
    private static partial void LogCutOff(ILogger logger, string source, int pages, long processed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suppression sync {Source}: the page token expired; reading the window again from the start.")]
    private static partial void LogTokenExpired(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Suppression sync {Source} done: full={Full}, {Processed} addresses in {Pages} pages, {Swept} removed.")]
    private static partial void LogDone(ILogger logger, string source, bool full, long processed, int pages, int swept);
}
