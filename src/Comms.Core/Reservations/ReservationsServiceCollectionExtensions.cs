using Microsoft.Extensions.DependencyInjection;

namespace Comms.Reservations;

public static class ReservationsServiceCollectionExtensions
{
    /// <summary>Reservation rows and events. The reminder clock reuses Comms:Circulation (DayLength), so there is no section of its own.</summary>
    public static IServiceCollection AddReservations(this IServiceCollection services)
    {
        services.AddSingleton<ReservationStore>();
        services.AddSingleton<ReservationService>();
        return services;
    }
}
