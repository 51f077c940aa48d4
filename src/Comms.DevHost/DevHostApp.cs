using Comms.DevHost.Durable;
using Comms.DevHost.Local;
using Comms.DevHost.Queues;
using Comms.DevHost.Timers;
using Comms.Functions;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Comms.DevHost;

/// <summary>Builds the dev host: the function app's services and functions on Kestrel and the durable engine.</summary>
public static class DevHostApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings files sit beside the binary, wherever the command is run from. A dev host is a development
        // run unless the environment says otherwise (ASPNETCORE_ENVIRONMENT or DOTNET_ENVIRONMENT).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = EnvironmentFromVariables() ?? Environments.Development,
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 100L * 1024 * 1024);
        builder.Services.Configure<KestrelServerOptions>(o => o.AllowSynchronousIO = false);
        builder.Services.AddMvcCore();

        // First of all hosted services: storage must be up before the durable engine creates its task hub.
        builder.Services.AddLocalConveniences();
        builder.Services.AddCommsFunctionApp(builder.Configuration);

        // One discovery feeds every trigger kind: HTTP endpoints, durable tasks and timers.
        var functions = FunctionCatalog.Discover(typeof(FunctionAppServiceCollectionExtensions).Assembly);
        var served = new ServedFunctions();
        builder.Services.AddSingleton(served);
        foreach (var timer in TimerFunctionScheduler.Timers(functions))
        {
            served.Add(new ServedFunction(timer.Name, timer.Trigger, Schedule: timer.Timer!.Schedule));
        }

        foreach (var queue in QueueFunctionPoller.Queues(functions))
        {
            served.Add(new ServedFunction(queue.Name, queue.Trigger));
        }

        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<TimerFunctionScheduler>(sp, functions));
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<QueueFunctionPoller>(sp, functions));
        configure?.Invoke(builder);

        // After the caller's configuration, so a test host can turn the engine off.
        if (builder.Configuration.GetValue($"{DurableEngineOptions.Section}:Enabled", true))
        {
            builder.Services.AddDurableEngine(functions, served);
        }

        var app = builder.Build();
        app.UseProblemStatusCodes();
        app.MapHttpFunctions(functions, served);
        return app;
    }

    private static string? EnvironmentFromVariables() =>
        new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
