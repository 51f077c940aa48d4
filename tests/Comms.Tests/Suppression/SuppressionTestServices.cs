using Comms.Tests.Delivery;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Suppression;

/// <summary>The app's services with the SES suppression sync pointed at a fake (sending stays on aws-ses-v2-local).</summary>
public static class SuppressionTestServices
{
    public static ServiceProvider Create(
        EmulatorFixture emulators,
        FakeSesSuppressionServer ses,
        Action<Dictionary<string, string?>>? settings = null,
        Action<IServiceCollection>? services = null) =>
        DeliveryTestServices.Create(emulators, s =>
        {
            s["Comms:Suppression:Ses:Enabled"] = "true";
            s["Comms:Suppression:Ses:ServiceUrl"] = ses.Endpoint.ToString();
            settings?.Invoke(s);
        }, services);

    public static void UseFake(Dictionary<string, string?> s, FakeSesSuppressionServer ses)
    {
        s["Comms:Suppression:Ses:Enabled"] = "true";
        s["Comms:Suppression:Ses:ServiceUrl"] = ses.Endpoint.ToString();
    }
}
