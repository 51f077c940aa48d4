using System.Text;
using Comms.Delivery;
using Comms.DevHost.Durable;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Comms.DevHost.Local;

/// <summary>
/// Once the host listens, tells the person at the terminal where to look: the API's base URL, the admin key,
/// where mail goes, the task hub and the storage emulator. Written to stdout, not the logger, so a quieter
/// log level never hides it.
/// </summary>
public sealed class StartupBanner(IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration, IOptions<EmailOptions> email, LocalAzurite azurite, IServiceProvider services) : IHostedService
{
    /// <summary>The documented local default; shown in full because it is no secret, any other key only by its end.</summary>
    private const string LocalAdminKey = "local-admin-key-change-me";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => Console.Out.Write(Text()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public string Text()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var adminKey = configuration["Comms:Security:PlatformAdminKey"] ?? "";
        var text = new StringBuilder().AppendLine().AppendLine("Comms dev host is running.");
        foreach (var address in addresses)
        {
            text.AppendLine($"  API          {address.TrimEnd('/')}/api");
        }

        text.AppendLine(adminKey == LocalAdminKey
            ? $"  Admin key    X-Admin-Key: {LocalAdminKey} (the local default)"
            : $"  Admin key    X-Admin-Key: the value of Comms:Security:PlatformAdminKey (ends '…{adminKey[^Math.Min(4, adminKey.Length)..]}')");
        var provider = email.Value.Provider;
        text.AppendLine(provider == ProviderNames.Pickup
            ? $"  Outbox       {Path.GetFullPath(email.Value.Pickup.Directory)} (one .eml per message)"
            : $"  Email        provider {provider}{(provider == ProviderNames.Ses && email.Value.Ses.ServiceUrl is { } url ? " at " + url : "")}");
        text.AppendLine(services.GetService<DurableSidecar>() is { } durable
            ? $"  Task hub     {durable.TaskHubName} (durable engine on Azure Storage)"
            : "  Task hub     none: the durable engine is off (DevHost:Durable:Enabled=false)");
        text.AppendLine(azurite.StartedProcessId is { } pid
            ? $"  Azurite      started here, PID {pid}, data and azurite.log in {azurite.DataFolder} (stop it with `kill {pid}`)"
            : "  Storage      " + StorageLine());
        text.AppendLine($"  Email log    GET /api/libraries/{{libraryId}}/email-log");
        text.AppendLine($"  Staff page   {addresses.FirstOrDefault()?.TrimEnd('/')}/api/staff/");
        // The hosting lifetime's own start lines are switched off in appsettings.json: this banner says it all.
        return text.AppendLine("Press Ctrl+C to stop.").AppendLine().ToString();
    }

    private string StorageLine() =>
        StorageEndpoints.Parse(configuration["Comms:Storage:ConnectionString"]) is { } local
            ? $"Azurite already running on 127.0.0.1 (blob {local.Blob}, queue {local.Queue}, table {local.Table})"
            : "Comms:Storage settings (not a local emulator)";
}
