using Microsoft.Extensions.DependencyInjection;

namespace Comms.Charges;

public static class ChargesServiceCollectionExtensions
{
    /// <summary>Declared-lost, lost-item-returned and payment notices (needs AddCirculation for the loan rows).</summary>
    public static IServiceCollection AddCharges(this IServiceCollection services) => services.AddSingleton<ChargeNotices>();
}
