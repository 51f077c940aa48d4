using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Circulation;

public static class CirculationServiceCollectionExtensions
{
    /// <summary>Loan rows, the ladder planner and the digest book (Comms:Circulation options).</summary>
    public static IServiceCollection AddCirculation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CirculationOptions>().Bind(configuration.GetSection(CirculationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LoanStore>();
        services.AddSingleton<LoanService>();
        services.AddSingleton<LostLoanService>();
        services.AddSingleton<ShortenedLoanService>();
        services.AddSingleton<LoanDigests>();
        services.AddSingleton<ContactDigests>();
        services.AddSingleton<WeeklySummaries>();
        services.AddSingleton<WeeklySummarySender>();
        services.AddSingleton<LoanPlanIndex>();
        services.AddSingleton<LoanStepPlanner>();
        return services;
    }
}
