using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Logging;

namespace Comms.Delivery;

/// <summary>
/// The ledger claims one email send holds, kept alive while it works. Another attempt may take a claim over once it
/// has gone a whole lease (Comms:Email:ClaimLeaseSeconds) without renewal, so a live attempt that is only slow (storage
/// or the provider under load, a long rate-limiter wait, retries with backoff) renews its claims every third of the
/// lease and keeps them: only a dead attempt's claims run out. Right before each provider call the send confirms that
/// the message's claims are still its own, so an attempt that stalled a whole lease and was overtaken sends nothing
/// instead of a second copy.
/// </summary>
public sealed partial class HeldClaims : IAsyncDisposable
{
    private readonly NoticeLedger _ledger;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly string _libraryId;
    private readonly TimeSpan _renewEvery;

    // Notice id → the lease start this attempt last wrote. A notice leaves when it is settled or lost.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _held = new(StringComparer.Ordinal);

    // One renewal at a time: two of them reading the same row would see the second's conditional write refused
    // (the first changed the ETag) and take that for a lost claim.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _keepingAlive;

    public HeldClaims(NoticeLedger ledger, TimeProvider clock, ILogger logger, string libraryId, TimeSpan lease)
    {
        _ledger = ledger;
        _clock = clock;
        _logger = logger;
        _libraryId = libraryId;
        _renewEvery = lease / 3;
    }

    /// <summary>This attempt's id in the ledger rows it claims.</summary>
    public string Holder { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Records a claim this attempt has just written (claimed or taken over) with that lease start.</summary>
    public void Add(string noticeId, DateTimeOffset leaseStart) => _held[noticeId] = leaseStart;

    /// <summary>Stops renewing a notice whose outcome is about to be written (or that is given back).</summary>
    public void Settle(string noticeId) => _held.TryRemove(noticeId, out _);

    /// <summary>Starts renewing the claims in the background until disposed. A lease of 0 protects nothing to renew.</summary>
    public void KeepAlive()
    {
        if (_keepingAlive is null && !_held.IsEmpty && _renewEvery > TimeSpan.Zero)
        {
            _keepingAlive = KeepAliveAsync(_stop.Token);
        }
    }

    /// <summary>
    /// True when this attempt still holds every one of the claims: call it immediately before the provider. A claim
    /// renewed less than a third of a lease ago needs no storage call, as nobody may take it over before a whole lease
    /// has passed; an older one is renewed (conditionally on the row's ETag) and so checked.
    /// </summary>
    public async Task<bool> ConfirmAsync(IReadOnlyList<string> noticeIds, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!noticeIds.All(_held.ContainsKey))
            {
                return false;
            }

            var now = _clock.GetUtcNow();
            var renewed = await Task.WhenAll(noticeIds.Where(id => now - _held[id] >= _renewEvery).Select(id => RenewAsync(id, now, null, cancellationToken)));
            return renewed.All(held => held);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Moves a held claim to the failover provider (crash recovery asks that provider); false when it is lost.</summary>
    public async Task<bool> MoveAsync(string noticeId, string provider, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _held.ContainsKey(noticeId) && await RenewAsync(noticeId, _clock.GetUtcNow(), provider, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Gives the notice back for a later attempt, unless another attempt holds it now.</summary>
    public Task ReleaseAsync(string noticeId, CancellationToken cancellationToken)
    {
        Settle(noticeId);
        return _ledger.ReleaseIfHeldAsync(_libraryId, noticeId, Holder, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_keepingAlive is { } keepingAlive)
        {
            await keepingAlive;
        }

        _stop.Dispose();
        _gate.Dispose();
    }

    private async Task KeepAliveAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_renewEvery, _clock, stop);
                await _gate.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var now = _clock.GetUtcNow();
                await Task.WhenAll(_held.Where(h => now - h.Value >= _renewEvery).Select(h => RenewAsync(h.Key, now, null, stop)));
            }
            catch (Exception e) when (e is RequestFailedException or OperationCanceledException or AggregateException)
            {
                // The next turn tries again, and the check before the provider call renews (or finds the claim lost) itself.
                if (!stop.IsCancellationRequested)
                {
                    LogRenewFailed(_logger, _libraryId, e.Message);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private async Task<bool> RenewAsync(string noticeId, DateTimeOffset now, string? provider, CancellationToken cancellationToken)
    {
        if (await _ledger.TryRenewAsync(_libraryId, noticeId, Holder, now, provider, cancellationToken))
        {
            // Unless settled meanwhile: a settled notice is not renewed again.
            if (_held.TryGetValue(noticeId, out var previous))
            {
                _held.TryUpdate(noticeId, now, previous);
            }

            return true;
        }

        // A notice settled meanwhile is not lost, only finished.
        if (_held.TryRemove(noticeId, out _))
        {
            LogLost(_logger, noticeId, _libraryId);
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId} of {LibraryId}: another attempt took its claim over while this one was working; this one does not send it.")]
    private static partial void LogLost(ILogger logger, string noticeId, string libraryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the claims of a send for {LibraryId}: {Error}")]
    private static partial void LogRenewFailed(ILogger logger, string libraryId, string error);
}
