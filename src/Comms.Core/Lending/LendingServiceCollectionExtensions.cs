using Microsoft.Extensions.DependencyInjection;

namespace Comms.Lending;

public static class LendingServiceCollectionExtensions
{
    /// <summary>Loan receipts and the current loans report (needs AddCirculation for the loan rows).</summary>
    public static IServiceCollection AddLending(this IServiceCollection services) => services.AddSingleton<LendingService>();
}
