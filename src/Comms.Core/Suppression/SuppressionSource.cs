namespace Comms.Suppression;

/// <summary>One address as a provider's suppression list reports it.</summary>
public sealed record SuppressedAddress(string Address, string Reason, DateTimeOffset UpdatedAt, string? ProviderRef = null);

/// <summary>One page of a provider's list and the token that reads the next (null at the end).</summary>
public sealed record SuppressionPage(IReadOnlyList<SuppressedAddress> Items, string? NextToken);

/// <summary>What to read: a time window (incremental) or everything (full, both null).</summary>
public sealed record SyncWindow(DateTimeOffset? Start, DateTimeOffset? End);

/// <summary>
/// A provider's suppression list, read page by page and written back to when staff remove an address.
/// One implementation per provider (SES, ACS); the sync and the blacklist API do not know which is which.
/// </summary>
public interface ISuppressionSource
{
    /// <summary>The blacklist source name its entries carry (<see cref="BlacklistSources"/>).</summary>
    string Name { get; }

    bool IsEnabled { get; }

    /// <summary>Whether <see cref="SyncWindow.Start"/> filters server-side; otherwise every run reads everything.</summary>
    bool SupportsIncremental { get; }

    /// <summary>Reads one page: the first when <paramref name="token"/> is null.</summary>
    Task<SuppressionPage> ReadPageAsync(SyncWindow window, string? token, CancellationToken cancellationToken);

    /// <summary>Removes the address from the provider's list; false when it was not there.</summary>
    Task<bool> RemoveAsync(BlacklistEntry entry, CancellationToken cancellationToken);
}

/// <summary>The provider refused or failed a suppression list call after retries.</summary>
public sealed class SuppressionProviderException(string message, bool tokenExpired = false) : Exception(message)
{
    /// <summary>The stored page token is no longer valid (SES InvalidNextTokenException): restart the run.</summary>
    public bool TokenExpired { get; } = tokenExpired;
}
