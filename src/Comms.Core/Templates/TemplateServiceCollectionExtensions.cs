using Comms.Templates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Comms;

public static class TemplateServiceCollectionExtensions
{
    /// <summary>Templates: rendering (one shared parse cache), storage, validation, preview and the resolver senders use.</summary>
    public static IServiceCollection AddCommsTemplates(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration; // No settings yet; taken so templates register like every other feature.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TemplateRenderer>();
        services.AddSingleton<TemplateStore>();
        services.AddSingleton<TemplateService>();
        services.AddSingleton<TemplatePreviewService>();
        services.AddSingleton<ITemplateResolver, TemplateResolver>();
        services.AddSingleton<TestSendService>();
        services.AddSingleton<Layouts.LayoutStore>();
        services.AddSingleton<Layouts.LayoutService>();
        return services;
    }
}
