using System.ComponentModel.DataAnnotations;

namespace Comms.Storage;

/// <summary>
/// Where the app's own tables live. Locally a connection string (Azurite); in Azure the table endpoint with
/// the app's managed identity, because the storage account has shared-key access turned off.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Comms:Storage";

    public string? ConnectionString { get; set; }
    public Uri? TableServiceUri { get; set; }
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prefix for every table name, so tests and benchmarks can share one storage account.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,20}$")]
    public string TablePrefix { get; set; } = "Comms";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && TableServiceUri is null)
        {
            yield return new ValidationResult(
                "Set Comms:Storage:ConnectionString (local) or Comms:Storage:TableServiceUri (Azure, managed identity).",
                [nameof(ConnectionString), nameof(TableServiceUri)]);
        }
    }
}
