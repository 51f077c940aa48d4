namespace Comms.Templates;

/// <summary>
/// The item tables content mode inserts as one block (a line "[[table items]]"): the list they repeat, its
/// caption and columns. Each column's cell is Mustache over one element; the first is the row's header.
/// </summary>
public static class ContentTables
{
    public sealed record Column(string Header, string Html, string Text);

    public sealed record Table(string List, string Caption, IReadOnlyList<Column> Columns);

    public static readonly IReadOnlyDictionary<string, Table> All = new Dictionary<string, Table>(StringComparer.Ordinal)
    {
        ["items"] = new("items", "Items", [
            new("Title", "{{title}}", "{{title}}"),
            new("Author", "{{author}}", "{{#author}} by {{author}}{{/author}}"),
            new("Barcode", "{{barcode}}", "{{#barcode}} (barcode {{barcode}}){{/barcode}}"),
            new("Due date", "{{dueDate}}", ", due {{dueDate}}"),
        ]),
        ["order.lines"] = new("order.lines", "Order lines", [
            new("Title", "{{title}}", "{{title}}"),
            new("ISBN", "{{isbn}}", " (ISBN {{isbn}})"),
            new("Quantity", "{{quantity}}", ", {{quantity}} ×"),
            new("Unit price", "{{unitPrice}}", " {{unitPrice}}"),
            new("Line total", "{{lineTotal}}", " = {{lineTotal}}"),
        ]),
        ["charges.lines"] = new("charges.lines", "Charges", [
            new("Title", "{{title}}", "{{title}}"),
            new("Due date", "{{dueDate}}", ", due {{dueDate}}"),
            new("Replacement cost", "{{replacementCost}}", ", replacement {{replacementCost}}"),
            new("Fee", "{{fee}}", ", fee {{fee}}"),
            new("Amount", "{{amount}}", ": {{amount}}"),
        ]),
        ["renewals.items"] = new("renewals.items", "Renewals", [
            new("Title", "{{title}}", "{{title}}"),
            new("Due date", "{{dueDate}}", ", due {{dueDate}}"),
            new("Renewed", "{{#renewed}}Renewed{{/renewed}}{{#notRenewed}}Not renewed{{#reason}}: {{reason}}{{/reason}}{{/notRenewed}}", "{{#renewed}} (renewed){{/renewed}}{{#notRenewed}} (not renewed{{#reason}}: {{reason}}{{/reason}}){{/notRenewed}}"),
        ]),
    };

    private const string Cell = "text-align:left; padding:8px; border-bottom:1px solid #e4e7eb;";
    private const string HeadCell = "text-align:left; padding:8px; border-bottom:2px solid #9aa5b1;";

    /// <summary>An accessible table (caption, column headers, each row headed by its title), as the shipped defaults have.</summary>
    public static string Html(Table table)
    {
        var heads = string.Concat(table.Columns.Select(c => $"\n      <th scope=\"col\" style=\"{HeadCell}\">{c.Header}</th>"));
        var cells = string.Concat(table.Columns.Select((c, i) => i == 0
            ? $"\n      <th scope=\"row\" style=\"{Cell} font-weight:normal;\">{c.Html}</th>"
            : $"\n      <td style=\"{Cell}\">{c.Html}</td>"));
        return $"<table style=\"width:100%; border-collapse:collapse; margin:0 0 16px 0; font-size:15px;\">\n  <caption style=\"text-align:left; font-weight:bold; padding:0 0 8px 0;\">{table.Caption}</caption>\n"
            + $"  <thead>\n    <tr>{heads}\n    </tr>\n  </thead>\n  <tbody>\n    {{{{#{table.List}}}}}\n    <tr>{cells}\n    </tr>\n    {{{{/{table.List}}}}}\n  </tbody>\n</table>";
    }

    /// <summary>The same rows as a list in the plain-text body.</summary>
    public static string Text(Table table) =>
        $"{{{{#{table.List}}}}}\n- {string.Concat(table.Columns.Select(c => c.Text))}\n{{{{/{table.List}}}}}";
}
