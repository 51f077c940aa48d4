namespace Comms.Templates;

/// <summary>The optional parts of <see cref="TemplateModel"/> a scenario fills; the library is always there.</summary>
[Flags]
public enum ModelSections
{
    None = 0,
    Patron = 1,
    Recipient = 2,
    Items = 4,
    Reservation = 8,
    Order = 16,
    Reset = 32,
    Recall = 64,
    Escalation = 128,
    Charges = 256,
    Renewals = 512,
    Card = 1024,

    /// <summary>The recipient-centred shape of the ladder steps: patrons, totals, classes, digest, step.</summary>
    Patrons = 2048,
}
