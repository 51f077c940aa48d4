using System.ComponentModel.DataAnnotations;

namespace Comms.Accounts;

public sealed class AccountsOptions
{
    public const string Section = "Comms:Accounts";

    /// <summary>Reset emails per patron in any rolling hour; more get 429 so a form can't be used to flood an inbox.</summary>
    [Range(1, 100)]
    public int PasswordResetsPerHour { get; set; } = 3;
}
