using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Preferences;

/// <summary>A notice's name and one-line description as the engine's own words say them (pages, sentences).</summary>
public sealed record ScenarioWords(string Title, string Description);

/// <summary>
/// Each scenario's title and description in the languages of <see cref="PreferenceTexts"/>: the unsubscribe sentence
/// ("Stop receiving <em>Welcome</em> emails") and the self-service pages name notices in the reader's language. English
/// is the catalogue's own (<see cref="ScenarioCatalogue"/>, as the staff page shows it); a test checks every scenario
/// has words in every language.
/// </summary>
public static class ScenarioWordTranslations
{
    public static IReadOnlyDictionary<Scenario, ScenarioWords> English { get; } =
        ScenarioCatalogue.All.ToDictionary(d => d.Scenario, d => new ScenarioWords(d.Title, d.Description));

    public static IReadOnlyDictionary<Scenario, ScenarioWords> French { get; } = new Dictionary<Scenario, ScenarioWords>
    {
        [Scenario.PreOverdue] = new("Bientôt à rendre", "Un rappel quelques jours avant la date de retour des documents."),
        [Scenario.Overdue] = new("En retard", "Des documents ont dépassé leur date de retour."),
        [Scenario.Escalation] = new("Relance de retard", "Des documents sont toujours en retard ; envoyé à chaque niveau de relance fixé par la bibliothèque."),
        [Scenario.Recall] = new("Rappel de document", "Un autre lecteur a besoin d'un document avant sa date de retour."),
        [Scenario.ReservationRequested] = new("Réservation enregistrée", "Confirme qu'une réservation a été enregistrée."),
        [Scenario.ReservationReady] = new("Réservation disponible", "Un document réservé attend à la banque de prêt."),
        [Scenario.ReservationExpiring] = new("Réservation bientôt expirée", "Un document réservé retournera bientôt en rayon."),
        [Scenario.ReservationExpired] = new("Réservation expirée", "Un document réservé n'a pas été retiré à temps."),
        [Scenario.ReservationCancelled] = new("Réservation annulée", "Une réservation a été annulée."),
        [Scenario.LoanReceipt] = new("Reçu de prêt", "Ce qui vient d'être emprunté et la date de retour."),
        [Scenario.PasswordReset] = new("Réinitialisation du mot de passe", "Un lien pour choisir un nouveau mot de passe ; envoyé uniquement au lecteur."),
        [Scenario.SupplierOrder] = new("Commande fournisseur", "Un bon de commande envoyé à l'adresse de commande d'un fournisseur."),
        [Scenario.CurrentLoansReport] = new("Prêts en cours", "Tout ce que le lecteur a en prêt actuellement."),
        [Scenario.DeclaredLost] = new("Déclaré perdu", "Fin des relances : les documents en retard sont facturés comme perdus, avec le coût de remplacement et les frais de chacun."),
        [Scenario.LostItemReturned] = new("Document perdu rendu", "Un document déclaré perdu a été rendu ; le système de la bibliothèque a ajusté la facture."),
        [Scenario.PaymentReceived] = new("Paiement reçu", "Remercie le lecteur pour un paiement et indique ce qui reste dû."),
        [Scenario.AutoRenewal] = new("Renouvellements automatiques", "Un récapitulatif par jour des renouvellements automatiques : ce qui a été renouvelé et jusqu'à quand, ce qui ne l'a pas été et pourquoi."),
        [Scenario.CheckInReceipt] = new("Reçu de retour", "Ce qui vient d'être rendu, un reçu par session de retour."),
        [Scenario.DueDateShortened] = new("Date de retour avancée", "Le système de la bibliothèque a avancé la date de retour d'un prêt ; les documents indiquent leur date de retour précédente."),
        [Scenario.Welcome] = new("Bienvenue", "Souhaite la bienvenue à un nouveau membre de la bibliothèque."),
        [Scenario.CardExpiring] = new("Carte bientôt expirée", "La carte de bibliothèque du lecteur expire bientôt ; envoyé le nombre de jours avant fixé par la bibliothèque."),
    };

    public static IReadOnlyDictionary<Scenario, ScenarioWords> Spanish { get; } = new Dictionary<Scenario, ScenarioWords>
    {
        [Scenario.PreOverdue] = new("Vence pronto", "Un recordatorio unos días antes de la fecha de devolución de los ejemplares."),
        [Scenario.Overdue] = new("Vencido", "Hay ejemplares que han pasado su fecha de devolución."),
        [Scenario.Escalation] = new("Reclamación por retraso", "Los ejemplares siguen vencidos; se envía en cada nivel de reclamación que fija la biblioteca."),
        [Scenario.Recall] = new("Solicitud de devolución", "Otro lector necesita un ejemplar antes de su fecha de devolución."),
        [Scenario.ReservationRequested] = new("Reserva realizada", "Confirma que se ha realizado una reserva."),
        [Scenario.ReservationReady] = new("Reserva disponible", "Un ejemplar reservado espera en el mostrador de recogida."),
        [Scenario.ReservationExpiring] = new("Reserva a punto de caducar", "Un ejemplar reservado volverá pronto a la estantería."),
        [Scenario.ReservationExpired] = new("Reserva caducada", "Un ejemplar reservado no se recogió a tiempo."),
        [Scenario.ReservationCancelled] = new("Reserva cancelada", "Se ha cancelado una reserva."),
        [Scenario.LoanReceipt] = new("Recibo de préstamo", "Lo que se acaba de prestar y cuándo vence."),
        [Scenario.PasswordReset] = new("Restablecer la contraseña", "Un enlace para elegir una nueva contraseña; solo se envía al lector."),
        [Scenario.SupplierOrder] = new("Pedido a proveedor", "Una orden de compra enviada a la dirección de pedidos de un proveedor."),
        [Scenario.CurrentLoansReport] = new("Préstamos actuales", "Todo lo que el lector tiene en préstamo ahora."),
        [Scenario.DeclaredLost] = new("Declarado perdido", "El final de las reclamaciones: los ejemplares vencidos se cobran como perdidos, con el coste de reposición y el recargo de cada uno."),
        [Scenario.LostItemReturned] = new("Ejemplar perdido devuelto", "Se ha devuelto un ejemplar declarado perdido; el sistema de la biblioteca ha ajustado el cargo."),
        [Scenario.PaymentReceived] = new("Pago recibido", "Agradece al lector un pago e indica lo que aún debe."),
        [Scenario.AutoRenewal] = new("Renovaciones automáticas", "Un resumen diario de las renovaciones automáticas: qué se renovó y hasta cuándo, y qué no y por qué."),
        [Scenario.CheckInReceipt] = new("Recibo de devolución", "Lo que se acaba de devolver, un recibo por sesión de devolución."),
        [Scenario.DueDateShortened] = new("Fecha de devolución adelantada", "El sistema de la biblioteca adelantó la fecha de devolución de un préstamo; los ejemplares muestran la fecha anterior."),
        [Scenario.Welcome] = new("Bienvenida", "Da la bienvenida a un nuevo socio de la biblioteca."),
        [Scenario.CardExpiring] = new("Carné a punto de caducar", "El carné de la biblioteca del lector caduca pronto; se envía con los días de antelación que fija la biblioteca."),
    };

    public static IReadOnlyDictionary<Scenario, ScenarioWords> German { get; } = new Dictionary<Scenario, ScenarioWords>
    {
        [Scenario.PreOverdue] = new("Bald fällig", "Eine Erinnerung einige Tage vor dem Rückgabedatum der Medien."),
        [Scenario.Overdue] = new("Überfällig", "Medien haben ihr Rückgabedatum überschritten."),
        [Scenario.Escalation] = new("Mahnung", "Medien sind weiterhin überfällig; gesendet auf jeder Mahnstufe, die die Bibliothek festlegt."),
        [Scenario.Recall] = new("Rückforderung", "Eine andere Person braucht ein Medium vor seinem Rückgabedatum."),
        [Scenario.ReservationRequested] = new("Vormerkung aufgegeben", "Bestätigt, dass eine Vormerkung aufgegeben wurde."),
        [Scenario.ReservationReady] = new("Vormerkung abholbereit", "Ein vorgemerktes Medium liegt an der Abholtheke bereit."),
        [Scenario.ReservationExpiring] = new("Vormerkung läuft bald ab", "Ein vorgemerktes Medium geht bald ins Regal zurück."),
        [Scenario.ReservationExpired] = new("Vormerkung abgelaufen", "Ein vorgemerktes Medium wurde nicht rechtzeitig abgeholt."),
        [Scenario.ReservationCancelled] = new("Vormerkung storniert", "Eine Vormerkung wurde storniert."),
        [Scenario.LoanReceipt] = new("Ausleihquittung", "Was gerade ausgeliehen wurde und wann es fällig ist."),
        [Scenario.PasswordReset] = new("Passwort zurücksetzen", "Ein Link zum Wählen eines neuen Passworts; wird nur an die Person selbst gesendet."),
        [Scenario.SupplierOrder] = new("Lieferantenbestellung", "Eine Bestellung an die Bestelladresse eines Lieferanten."),
        [Scenario.CurrentLoansReport] = new("Aktuelle Ausleihen", "Alles, was die Person derzeit ausgeliehen hat."),
        [Scenario.DeclaredLost] = new("Als verloren erklärt", "Das Ende der Mahnstufen: überfällige Medien werden als verloren berechnet, mit Ersatzkosten und Gebühr je Medium."),
        [Scenario.LostItemReturned] = new("Verlorenes Medium zurück", "Ein als verloren erklärtes Medium ist zurück; das Bibliothekssystem hat die Gebühr angepasst."),
        [Scenario.PaymentReceived] = new("Zahlung erhalten", "Dankt für eine Zahlung und nennt, was noch offen ist."),
        [Scenario.AutoRenewal] = new("Automatische Verlängerungen", "Eine tägliche Übersicht der automatischen Verlängerungen: was bis wann verlängert wurde, was nicht und warum."),
        [Scenario.CheckInReceipt] = new("Rückgabequittung", "Was gerade zurückgegeben wurde, eine Quittung pro Rückgabevorgang."),
        [Scenario.DueDateShortened] = new("Leihfrist verkürzt", "Das Bibliothekssystem hat das Rückgabedatum einer Ausleihe vorgezogen; die Medien zeigen ihr früheres Rückgabedatum."),
        [Scenario.Welcome] = new("Willkommen", "Begrüßt ein neues Mitglied der Bibliothek."),
        [Scenario.CardExpiring] = new("Ausweis läuft bald ab", "Der Bibliotheksausweis läuft bald ab; gesendet so viele Tage vorher, wie die Bibliothek festlegt."),
    };
}
