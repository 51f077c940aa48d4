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

    /// <summary>
    /// How long after a loan was stored a repeated post that finds no orchestration answers 503 instead of
    /// starting one, so the repeat does not race a first start that is still completing. A start queued by a post
    /// that died before the engine recorded the instance is discarded by the backend once the repeat's start is
    /// recorded (docs/reliability.md, "A kill in the middle of a loan post").
    /// </summary>
    public TimeSpan StartGrace { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DayLength < TimeSpan.FromMilliseconds(200) || DayLength > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Comms:Circulation:DayLength must be from 00:00:00.2 to 1.00:00:00.", [nameof(DayLength)]);
        }

        if (StartGrace < TimeSpan.Zero || StartGrace > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Comms:Circulation:StartGrace must be from 00:00:00 to 01:00:00.", [nameof(StartGrace)]);
        }
    }
}
