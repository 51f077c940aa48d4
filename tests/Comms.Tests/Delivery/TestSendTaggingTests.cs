using Comms.Delivery;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Delivery.DeliveryTestServices;

namespace Comms.Tests.Delivery;

/// <summary>
/// A template test send must not look like a real notice in the provider's reports: its scenario tag is
/// "test" (the scenario it tried is kept apart), on the ACS wire as on the others.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class TestSendTaggingTests(EmulatorFixture emulators)
{
    [Theory]
    [InlineData(true, "test", "overdue")]
    [InlineData(false, "overdue", null)]
    public async Task SendAsync_TestOrRealNotice_TaggedOnTheWireAsWhatItIs(bool isTest, string scenarioTag, string? testedScenario)
    {
        // Arrange
        await using var acs = await AcsTestServer.StartAsync();
        await using var services = Create(emulators, s =>
        {
            s["Comms:Email:Provider"] = "Acs";
            s["Comms:Email:Acs:ConnectionString"] = acs.ConnectionString;
            s["Comms:Email:Acs:MessagesPerSecond"] = "0";
        });
        var lib = Unique("tag");
        await CreateLibraryAsync(services, lib);
        var notice = Notice(lib, Unique("loan"), new NoticeRecipient("Ann", "ann@example.org")) with { IsTest = isTest };

        // Act
        await services.GetRequiredService<NoticeSender>().SendAsync(notice);

        // Assert
        var headers = Assert.Single(acs.Operations).Value.GetProperty("headers");
        Assert.Equal(scenarioTag, headers.GetProperty("x-comms-scenario").GetString());
        Assert.Equal(testedScenario, headers.TryGetProperty("x-comms-tested-scenario", out var tested) ? tested.GetString() : null);
    }
}
