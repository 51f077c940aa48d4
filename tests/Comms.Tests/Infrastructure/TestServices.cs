using Comms.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Infrastructure;

/// <summary>The function app's own service registration, pointed at the emulators with a private table prefix.</summary>
public static class TestServices
{
    public const string AdminKey = "test-platform-admin-key-0123456789";

    /// <summary>Signs the test hosts' unsubscribe links; a test signs a token of its own with it to probe the endpoint.</summary>
    public const string TestLinkKey = "test-unsubscribe-link-key-0123456789abcdef";

    public static Dictionary<string, string?> Settings(EmulatorFixture emulators) => new()
    {
        ["Comms:Storage:ConnectionString"] = emulators.StorageConnectionString,
        ["Comms:Storage:TablePrefix"] = EmulatorFixture.NewTablePrefix(),
        ["Comms:Security:PlatformAdminKey"] = AdminKey,
        // Each host its own outbox queue: hosts sharing the emulator never take each other's notices.
        ["Comms:Outbox:QueueName"] = "outbox-" + Guid.NewGuid().ToString("N"),
        ["Comms:Outbox:ProtectionKey"] = "test-outbox-protection-key-0123456789abcdef",
        ["Comms:Preferences:LinkKey"] = TestLinkKey,
        ["Comms:Preferences:PublicBaseUrl"] = "https://comms.test",
        ["DevHost:Queues:IdleDelay"] = "00:00:00.2",
        ["Comms:Webhooks:QueueName"] = "events-" + Guid.NewGuid().ToString("N"),
        ["Comms:Webhooks:AllowLoopbackHttp"] = "true",
        ["Comms:Email:Provider"] = "Pickup",
        ["Comms:Email:PlatformSender"] = "notices@comms.test",
        ["Comms:Email:Pickup:Directory"] = Path.Combine(Path.GetTempPath(), "comms-tests", Guid.NewGuid().ToString("N")),
        // Texts go to a private folder, and each host reads its own inbound SMS queue (STOP replies).
        ["Comms:Sms:Provider"] = "Pickup",
        ["Comms:Sms:Pickup:Directory"] = Path.Combine(Path.GetTempPath(), "comms-tests", "sms-" + Guid.NewGuid().ToString("N")),
        ["Comms:Sms:InboundQueueName"] = "sms-in-" + Guid.NewGuid().ToString("N"),
        ["Comms:Email:Ses:ServiceUrl"] = emulators.SesEndpoint.ToString(),
        ["Comms:Email:Ses:Region"] = "eu-west-1",
        ["Comms:Email:Ses:AccessKeyId"] = "test",
        ["Comms:Email:Ses:SecretAccessKey"] = "test",
        // Timers exist but never fire during a test run; the sync and the purge are tested by calling them.
        ["Comms:Suppression:SyncSchedule"] = "0 0 2 1 1 *",
        ["Comms:Retention:Schedule"] = "0 30 3 1 1 *",
        ["Comms:Print:BatchSchedule"] = "0 0 5 1 1 *",
    };

    public static ServiceProvider Create(EmulatorFixture emulators, Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = Settings(emulators);
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddCommsFunctionApp(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
