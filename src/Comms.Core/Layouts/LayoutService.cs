using Comms.Common;
using Comms.Libraries;

namespace Comms.Layouts;

/// <summary>Reads and sets a library's layout. A library that never set one reads the neutral layout every notice gets.</summary>
public sealed class LayoutService(LayoutStore store, LibraryStore libraries, TimeProvider clock)
{
    public async Task<LibraryLayout> GetAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        await RequireLibraryAsync(libraryId, cancellationToken);
        return await store.GetAsync(libraryId, cancellationToken) ?? LibraryLayout.Neutral;
    }

    /// <summary>Validated in full first: a 400 changes nothing.</summary>
    public async Task<LibraryLayout> SetAsync(string libraryId, LayoutRequest request, CancellationToken cancellationToken = default)
    {
        var layout = LayoutValidator.Validate(request, clock.GetUtcNow());
        await RequireLibraryAsync(libraryId, cancellationToken);
        await store.SaveAsync(libraryId, layout, cancellationToken);
        return layout;
    }

    /// <summary>Back to the neutral layout.</summary>
    public async Task ResetAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        await RequireLibraryAsync(libraryId, cancellationToken);
        await store.DeleteAsync(libraryId, cancellationToken);
    }

    private async Task RequireLibraryAsync(string libraryId, CancellationToken cancellationToken)
    {
        _ = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' was not found.");
    }
}
