using System.ComponentModel.DataAnnotations;

namespace Comms.Security;

public sealed class SecurityOptions
{
    public const string Section = "Comms:Security";

    /// <summary>Creates libraries and acts on any of them. In Azure it is a Key Vault reference.</summary>
    [Required(ErrorMessage = "Comms:Security:PlatformAdminKey is required (a Key Vault reference in Azure).")]
    [MinLength(16, ErrorMessage = "Comms:Security:PlatformAdminKey must be at least 16 characters.")]
    public string PlatformAdminKey { get; set; } = string.Empty;
}
