using System.Text.Json.Serialization;
using Comms.Charges;
using Comms.Renewals;
using Comms.Circulation;
using Comms.Common;
using Comms.Delivery;
using Comms.Suppression;
using Comms.Lending;
using Comms.Outbox;
using Comms.Reservations;
using Comms.Retention;
using Comms.Print;
using Comms.Sms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Functions;

public static class FunctionAppServiceCollectionExtensions
{
    /// <summary>
    /// Everything the function app's functions need. The Functions host and the dev host both call this,
    /// so a function runs with the same services wherever it is hosted.
    /// </summary>
    public static IServiceCollection AddCommsFunctionApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCommsCore(configuration);
        services.AddCommsTemplates(configuration);
        services.AddCommsDelivery(configuration);
        services.AddCommsSms(configuration);
        services.AddCommsPrint(configuration);
        services.AddCommsNotices();
        services.AddCommsOutbox(configuration);
        services.AddCirculation(configuration);
        services.AddReservations();
        services.AddLending();
        services.AddCharges();
        services.AddRenewals();
        services.AddCommsImmediateScenarios(configuration);
        services.AddCommsSuppression(configuration);
        services.AddCommsRetention(configuration);

        // Settings App Service could not resolve from Key Vault are reported at start (and by /api/health).
        services.AddHostedService<Health.UnresolvedSecretsCheck>();

        // The dashboard's counts are kept in memory as the log is written and stored every few seconds.
        services.AddHostedService<Dashboard.DashboardCounterFlush>();

        // Re-planning a patron's loan ladders after their courtesy days change (preferences API and self-service page).
        services.AddSingleton<Preferences.CourtesyReplans>();

        // The library's colours and logo on the patron pages (preferences and unsubscribe).
        services.AddSingleton<Preferences.PatronPageBranding>();

        // The staff page's files are read from the assembly once, at first use.
        services.AddSingleton<StaffPage.StaffPageAssets>();

        // Responses use the same JSON shape as requests and storage (camelCase, enums as strings).
        services.Configure<JsonOptions>(o =>
        {
            o.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            foreach (var converter in CommsJson.Options.Converters)
            {
                o.JsonSerializerOptions.Converters.Add(converter);
            }
        });
        return services;
    }
}
