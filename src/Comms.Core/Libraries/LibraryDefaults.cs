using Comms.Contacts;
using Comms.Scenarios;

namespace Comms.Libraries;

/// <summary>What a new library gets when it says nothing: every scenario on, sensible recipients.</summary>
public static class LibraryDefaults
{
    private static readonly ContactRole[] PatronAndCarers =
        [ContactRole.Patron, ContactRole.Parent, ContactRole.Guardian, ContactRole.Carer];

    public static ScenarioSettings For(Scenario scenario) => scenario switch
    {
        // Families hear about overdue items and escalations; a school may add teachers later.
        Scenario.Overdue or Scenario.Escalation or Scenario.Recall or Scenario.LoanReceipt
            => new ScenarioSettings { Roles = PatronAndCarers },
        // Whoever pays for a child's lost book hears about the charge, its adjustment and the payment.
        Scenario.DeclaredLost or Scenario.LostItemReturned or Scenario.PaymentReceived or Scenario.AutoRenewal
            or Scenario.CheckInReceipt or Scenario.DueDateShortened or Scenario.Welcome or Scenario.CardExpiring
            => new ScenarioSettings { Roles = PatronAndCarers },
        // A reset link is a secret: only the patron's own contact may receive it, whatever is configured.
        Scenario.PasswordReset => new ScenarioSettings { Roles = [ContactRole.Patron] },
        _ => new ScenarioSettings(),
    };

    public static IReadOnlyDictionary<Scenario, ScenarioSettings> Scenarios() =>
        Enum.GetValues<Scenario>().ToDictionary(s => s, For);
}
