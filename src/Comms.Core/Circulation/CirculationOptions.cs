using System.ComponentModel.DataAnnotations;

namespace Comms.Circulation;

/// <summary>Comms:Circulation settings.</summary>
public sealed class CirculationOptions : IValidatableObject
{
    public const string Section = "Comms:Circulation";

    /// <summary>
    /// How long one ladder "day" lasts. Production keeps the default (one day), where steps fall at the
    /// library's send time in its zone. Tests set seconds so a whole ladder runs in seconds; then a step is
    /// simply due ± days × DayLength and send time and closed dates do not apply (a "day" is too short for them).
    /// </summary>
    public TimeSpan DayLength { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DayLength < TimeSpan.FromMilliseconds(200) || DayLength > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Comms:Circulation:DayLength must be from 00:00:00.2 to 1.00:00:00.", [nameof(DayLength)]);
        }
    }
}
