using Comms.DevHost;
using Comms.DevHost.Demo;
using Comms.DevHost.Local;

try
{
    var app = DemoMode.IsRequested(args)
        ? DevHostApp.Build(DemoMode.WithoutSwitch(args), DemoMode.Configure)
        : DevHostApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (LocalSetupException e)
{
    await Console.Error.WriteLineAsync($"The dev host cannot start: {e.Message}");
    return 1;
}
