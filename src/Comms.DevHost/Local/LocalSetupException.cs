namespace Comms.DevHost.Local;

/// <summary>
/// Something the local machine lacks (Node.js, node_modules), with the command that mends it. Program prints
/// the message alone and exits, because a stack trace would bury the one line a newcomer needs.
/// </summary>
public sealed class LocalSetupException(string message) : Exception(message);
