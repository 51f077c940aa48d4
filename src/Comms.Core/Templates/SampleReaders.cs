using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>The made-up library, patron and recipient that sample previews and the catalogue show.</summary>
public static class SampleReaders
{
    public static Library Library { get; } = new()
    {
        Id = "sample",
        Name = "Riverside Library",
        FromAddress = "desk@riverside-library.example.org",
        TimeZone = "Europe/London",
        DefaultLanguage = "en-GB",
    };

    public static PatronModel Patron { get; } = new("Alex Morgan", "Year 7");

    public static RecipientModel Recipient { get; } = new("Sam Morgan", "parent");

    public static RecipientModel SupplierRecipient(string? supplierName) => new(supplierName is { Length: > 0 } ? supplierName : "Orders desk", "supplier");

    /// <summary>The scenario's sample facts for this library and language, as its template sees them.</summary>
    public static TemplateModel Model(ScenarioKey key, DateTimeOffset now, Library? library = null, string? language = null)
    {
        var data = ScenarioCatalogue.Get(key.Scenario).SampleData(now);
        var recipient = key.Scenario == Scenario.SupplierOrder ? SupplierRecipient(data.Order?.SupplierName) : Recipient;
        return TemplateModelBuilder.Build(key, library ?? Library, language, Patron, recipient, data, now);
    }
}
