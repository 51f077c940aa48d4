using System.Reflection;

namespace Comms.Templates;

/// <summary>
/// A short plain-English description of every template variable, for the editor's variable picker and
/// GET /api/scenarios. Kept per model property (not per path), so a list shown in several places
/// (items, patrons[].items) is described once. A new model property needs a line here: ScenarioCatalogueTests
/// fails for any scenario variable without one.
/// </summary>
public static class VariableDescriptions
{
    private static readonly Dictionary<(Type Model, string Property), string> Texts = new()
    {
        [(typeof(LibraryModel), nameof(LibraryModel.Name))] = "The library's name.",
        [(typeof(LibraryModel), nameof(LibraryModel.FromAddress))] = "The address the library's emails come from.",

        [(typeof(PatronModel), nameof(PatronModel.Name))] = "The name of the reader the notice is about.",
        [(typeof(PatronModel), nameof(PatronModel.Group))] = "The reader's patron group, such as a class; may be empty.",

        [(typeof(RecipientModel), nameof(RecipientModel.Name))] = "The name of the person this email goes to.",
        [(typeof(RecipientModel), nameof(RecipientModel.Role))] = "Who the recipient is: patron, parent, guardian, carer, teacher, headOfSchool or supplier.",

        [(typeof(ItemModel), nameof(ItemModel.Title))] = "The item's title.",
        [(typeof(ItemModel), nameof(ItemModel.Author))] = "The item's author; may be empty.",
        [(typeof(ItemModel), nameof(ItemModel.Barcode))] = "The item's barcode; may be empty.",
        [(typeof(ItemModel), nameof(ItemModel.DueDate))] = "The date the item is due back (in a shortened due date notice, the date it was due before).",
        [(typeof(ItemModel), nameof(ItemModel.DaysOverdue))] = "How many days the item is overdue, as a number.",
        [(typeof(ItemModel), nameof(ItemModel.DaysOverdueText))] = "How many days the item is overdue, with the word for days: \"3 days\".",

        [(typeof(ReservationModel), nameof(ReservationModel.Title))] = "The reserved item's title.",
        [(typeof(ReservationModel), nameof(ReservationModel.Author))] = "The reserved item's author; may be empty.",
        [(typeof(ReservationModel), nameof(ReservationModel.PickupLocation))] = "Where the reader collects the item.",
        [(typeof(ReservationModel), nameof(ReservationModel.PickupBy))] = "The last day to collect the item; empty until it is ready.",
        [(typeof(ReservationModel), nameof(ReservationModel.Reason))] = "Why the reservation was cancelled; empty in the other reservation notices.",

        [(typeof(OrderModel), nameof(OrderModel.Number))] = "The purchase order's number.",
        [(typeof(OrderModel), nameof(OrderModel.SupplierName))] = "The supplier's name.",
        [(typeof(OrderModel), nameof(OrderModel.Total))] = "The order's total amount.",
        [(typeof(OrderModel), nameof(OrderModel.Currency))] = "The order's currency code, such as GBP.",
        [(typeof(OrderModel), nameof(OrderModel.DeliveryAddress))] = "Where the supplier delivers the order.",
        [(typeof(OrderLineModel), nameof(OrderLineModel.Title))] = "The ordered title.",
        [(typeof(OrderLineModel), nameof(OrderLineModel.Isbn))] = "The ordered title's ISBN.",
        [(typeof(OrderLineModel), nameof(OrderLineModel.Quantity))] = "How many copies are ordered.",
        [(typeof(OrderLineModel), nameof(OrderLineModel.UnitPrice))] = "The price of one copy.",
        [(typeof(OrderLineModel), nameof(OrderLineModel.LineTotal))] = "The price of the line: quantity times unit price.",

        [(typeof(ResetModel), nameof(ResetModel.Link))] = "The link to choose a new password; secret, so the email log shows it hidden.",
        [(typeof(ResetModel), nameof(ResetModel.ExpiresAt))] = "When the password link stops working.",

        [(typeof(RecallModel), nameof(RecallModel.Reason))] = "Why the library needs the item back.",
        [(typeof(RecallModel), nameof(RecallModel.NewDueDate))] = "The new date to return the item by.",

        [(typeof(EscalationModel), nameof(EscalationModel.Level))] = "The escalation level, from 1.",

        [(typeof(PatronItemsModel), nameof(PatronItemsModel.Name))] = "The name of one reader the email lists.",
        [(typeof(PatronItemsModel), nameof(PatronItemsModel.Group))] = "That reader's patron group, such as a class; may be empty.",
        [(typeof(PatronItemsModel), nameof(PatronItemsModel.ItemCount))] = "How many items that reader has in this email.",

        [(typeof(TotalsModel), nameof(TotalsModel.Patrons))] = "How many readers the email is about.",
        [(typeof(TotalsModel), nameof(TotalsModel.Items))] = "How many items the email is about.",
        [(typeof(TotalsModel), nameof(TotalsModel.Classes))] = "How many classes (patron groups) the email is about.",
        [(typeof(TotalsModel), nameof(TotalsModel.Unlisted))] = "How many items a summary counts but does not list.",

        [(typeof(ClassCountModel), nameof(ClassCountModel.Name))] = "The class (patron group); empty for readers without one.",
        [(typeof(ClassCountModel), nameof(ClassCountModel.Patrons))] = "How many readers of that class the email counts.",
        [(typeof(ClassCountModel), nameof(ClassCountModel.Items))] = "How many items of that class the email counts.",

        [(typeof(DigestModel), nameof(DigestModel.Personal))] = "True in a reader's own email.",
        [(typeof(DigestModel), nameof(DigestModel.Household))] = "True in a household contact's email listing several readers.",
        [(typeof(DigestModel), nameof(DigestModel.ClassList))] = "True in a teacher's class list.",
        [(typeof(DigestModel), nameof(DigestModel.Summary))] = "True in a head of school's summary.",
        [(typeof(DigestModel), nameof(DigestModel.ListsPatrons))] = "True when the email lists readers by name; false in a summary that only counts them.",
        [(typeof(DigestModel), nameof(DigestModel.Weekly))] = "True in a weekly summary rather than one step's.",

        [(typeof(StepModel), nameof(StepModel.PreOverdue))] = "True for the reminder before items are due.",
        [(typeof(StepModel), nameof(StepModel.Overdue))] = "True for the first overdue notice.",
        [(typeof(StepModel), nameof(StepModel.Escalation))] = "True for an escalation notice.",
        [(typeof(StepModel), nameof(StepModel.Level))] = "The escalation level; 0 before escalation.",

        [(typeof(LevelCountModel), nameof(LevelCountModel.Step))] = "The step of the weekly summary's row, such as overdue or escalation-2.",
        [(typeof(LevelCountModel), nameof(LevelCountModel.Level))] = "That step's escalation level; 0 before escalation.",
        [(typeof(LevelCountModel), nameof(LevelCountModel.PreOverdue))] = "True when the row is the reminder before items are due.",
        [(typeof(LevelCountModel), nameof(LevelCountModel.Overdue))] = "True when the row is the first overdue notice.",
        [(typeof(LevelCountModel), nameof(LevelCountModel.Escalation))] = "True when the row is an escalation notice.",
        [(typeof(LevelCountModel), nameof(LevelCountModel.Patrons))] = "How many readers reached that step in the week.",
        [(typeof(LevelCountModel), nameof(LevelCountModel.Items))] = "How many items reached that step in the week.",

        [(typeof(ChargesModel), nameof(ChargesModel.AnyLines))] = "True when there are charged items, to show a table heading once.",
        [(typeof(ChargesModel), nameof(ChargesModel.Total))] = "The sum of the charges.",
        [(typeof(ChargesModel), nameof(ChargesModel.Remaining))] = "What is still charged after the change; empty when nothing is.",
        [(typeof(ChargesModel), nameof(ChargesModel.Paid))] = "The amount just paid; may be empty.",
        [(typeof(ChargesModel), nameof(ChargesModel.Balance))] = "What the reader still owes; empty when nothing is owed.",
        [(typeof(ChargesModel), nameof(ChargesModel.Currency))] = "The currency code of the amounts, such as GBP.",
        [(typeof(ChargeLineModel), nameof(ChargeLineModel.Title))] = "The charged item's title.",
        [(typeof(ChargeLineModel), nameof(ChargeLineModel.Author))] = "The charged item's author; may be empty.",
        [(typeof(ChargeLineModel), nameof(ChargeLineModel.Barcode))] = "The charged item's barcode.",
        [(typeof(ChargeLineModel), nameof(ChargeLineModel.DueDate))] = "The date the item was due back.",
        [(typeof(ChargeLineModel), nameof(ChargeLineModel.ReplacementCost))] = "What replacing the item costs; may be empty.",
        [(typeof(ChargeLineModel), nameof(ChargeLineModel.Fee))] = "The library's fee for the item; may be empty.",
        [(typeof(ChargeLineModel), nameof(ChargeLineModel.Amount))] = "The item's charge: replacement cost plus fee.",

        [(typeof(RenewalsModel), nameof(RenewalsModel.AnyRenewed))] = "True when some items were renewed.",
        [(typeof(RenewalsModel), nameof(RenewalsModel.AnyNotRenewed))] = "True when some items could not be renewed.",
        [(typeof(RenewalsModel), nameof(RenewalsModel.AnyFinalRenewal))] = "True when some items cannot be renewed again.",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.Title))] = "The loan's title.",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.Author))] = "The loan's author; may be empty.",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.Barcode))] = "The loan's barcode.",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.DueDate))] = "The date the loan is due now (the new date when renewed).",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.PreviousDueDate))] = "The date the loan was due before.",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.Renewed))] = "True when the loan was renewed.",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.FinalRenewal))] = "True when the loan cannot be renewed again.",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.NotRenewed))] = "True when the loan was not renewed.",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.Reason))] = "Why it was not renewed: tooManyRenewals, reserved or patronBlocked.",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.TooManyRenewals))] = "True when the loan was renewed as often as allowed.",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.Reserved))] = "True when another reader has reserved the item.",
        [(typeof(RenewalItemModel), nameof(RenewalItemModel.PatronBlocked))] = "True when the reader's account may not renew.",

        [(typeof(CardModel), nameof(CardModel.ExpiresOn))] = "The date the library card expires.",
    };

    /// <summary>The description of a model property, or null when it has none (a test fails for any variable without).</summary>
    public static string? Of(PropertyInfo property) =>
        Texts.GetValueOrDefault((property.DeclaringType!, property.Name));
}
