using Comms.Functions;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Comms.DevHost;

/// <summary>Builds the dev host: the function app's services and functions on Kestrel.</summary>
public static class DevHostApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 100L * 1024 * 1024);
        builder.Services.Configure<KestrelServerOptions>(o => o.AllowSynchronousIO = false);
        builder.Services.AddMvcCore();
        builder.Services.AddCommsFunctionApp(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapHttpFunctions(FunctionCatalog.Discover(typeof(FunctionAppServiceCollectionExtensions).Assembly));
        return app;
    }
}
