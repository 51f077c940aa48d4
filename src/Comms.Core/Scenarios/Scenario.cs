namespace Comms.Scenarios;

/// <summary>
/// Every kind of notice the engine sends. Escalation is one scenario with levels 1..N (the library decides N);
/// <see cref="ScenarioKey"/> names a scenario together with its level.
/// </summary>
public enum Scenario
{
    PreOverdue,
    Overdue,
    Escalation,
    Recall,
    ReservationRequested,
    ReservationReady,
    ReservationExpiring,
    ReservationExpired,
    ReservationCancelled,
    LoanReceipt,
    PasswordReset,
    SupplierOrder,
    CurrentLoansReport,
    DeclaredLost,
    LostItemReturned,
    PaymentReceived,
    AutoRenewal,
    CheckInReceipt,
    DueDateShortened,
    Welcome,
    CardExpiring,
}

/// <summary>Which feature a scenario belongs to; used for docs, settings grouping and telemetry dimensions.</summary>
public static class ScenarioFeatures
{
    public static string FeatureOf(Scenario scenario) => scenario switch
    {
        Scenario.PreOverdue or Scenario.Overdue or Scenario.Escalation or Scenario.Recall => "Circulation",
        Scenario.ReservationRequested or Scenario.ReservationReady or Scenario.ReservationExpiring
            or Scenario.ReservationExpired or Scenario.ReservationCancelled => "Reservations",
        Scenario.LoanReceipt or Scenario.CurrentLoansReport => "Lending",
        Scenario.PasswordReset => "Accounts",
        Scenario.SupplierOrder => "Acquisitions",
        Scenario.DeclaredLost or Scenario.LostItemReturned or Scenario.PaymentReceived => "Charges",
        Scenario.AutoRenewal => "Renewals",
        Scenario.CheckInReceipt => "Lending",
        Scenario.DueDateShortened => "Circulation",
        Scenario.Welcome or Scenario.CardExpiring => "Accounts",
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
    };
}
