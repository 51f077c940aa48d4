using Comms.Common;
using Comms.Suppression;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Suppression;

[Collection(EmulatorCollection.Name)]
public sealed class BlacklistStoreTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task AddAsync_ThenLookupInAnyCase_IsBlacklistedUntilRemoved()
    {
        await using var services = TestServices.Create(emulators);
        var blacklist = services.GetRequiredService<BlacklistStore>();

        var entry = await blacklist.AddAsync("  Ann@EXAMPLE.org ", "hard bounce", "ses", DateTimeOffset.UtcNow);
        var listed = await blacklist.ListAsync(10, null);
        var before = await blacklist.IsBlacklistedAsync("ann@example.org");
        var removed = await blacklist.RemoveAsync("ANN@example.org");
        var after = await blacklist.IsBlacklistedAsync("Ann@example.org");

        Assert.Equal("Ann@example.org", entry.Address);
        Assert.Equal("hard bounce", Assert.Single(listed.Items).Reason);
        Assert.True(before);
        Assert.True(removed);
        Assert.False(after);
    }

    [Fact]
    public async Task AddAsync_InvalidAddress_IsRejected()
    {
        await using var services = TestServices.Create(emulators);

        await Assert.ThrowsAsync<RequestValidationException>(() =>
            services.GetRequiredService<BlacklistStore>().AddAsync("nope", "x", "staff", DateTimeOffset.UtcNow));
    }
}
