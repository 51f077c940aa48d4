using Comms.Functions;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Comms.DevHost;

/// <summary>Builds the dev host: the function app's services and functions on Kestrel.</summary>
public static class DevHostApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings files sit beside the binary, wherever the command is run from.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
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
