using Microsoft.Extensions.DependencyInjection;

namespace Comms.Charges;

public static class ChargesServiceCollectionExtensions
{
    /// <summary>
    /// The wider catalogue's immediate notices (issue 25): declared-lost, lost-item-returned and payment, the check-in
    /// receipt, the welcome notice and card expiry (needs AddCirculation for the loan rows).
    /// </summary>
    public static IServiceCollection AddCharges(this IServiceCollection services) => services
        .AddSingleton<ChargeNotices>()
        .AddSingleton<Lending.CheckInService>()
        .AddSingleton<Accounts.WelcomeNotices>()
        .AddSingleton<Accounts.PatronCards>();
}
