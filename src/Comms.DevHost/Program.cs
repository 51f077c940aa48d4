using Comms.DevHost;

var app = DevHostApp.Build(args);
await app.RunAsync();
