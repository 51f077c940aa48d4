namespace Comms.DevHost.Local;

/// <summary>DevHost:Azurite settings: whether and where the dev host starts Azurite when none is listening.</summary>
public sealed class LocalAzuriteOptions
{
    public const string Section = "DevHost:Azurite";

    /// <summary>Start Azurite from node_modules when the storage ports are free. Off: fail at the first storage call instead.</summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>Azurite's data folder, relative to the folder holding node_modules (the repository root).</summary>
    public string Location { get; set; } = ".data/azurite";
}
