using Comms.DevHost;
using Comms.DevHost.Local;

try
{
    var app = DevHostApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (LocalSetupException e)
{
    await Console.Error.WriteLineAsync($"The dev host cannot start: {e.Message}");
    return 1;
}
