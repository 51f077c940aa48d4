using System.Text.Json;
using Comms.Common;
using Comms.Delivery;
using Microsoft.Extensions.Options;

namespace Comms.Sms.Providers;

/// <summary>
/// Writes each SMS as {message key}.sms.json into a folder: the dev host's stand-in for a phone. The file name is the
/// notice's SMS id, so a repeat overwrites instead of adding a second text.
/// </summary>
public sealed class PickupSmsProvider(IOptions<SmsOptions> options) : ISmsProvider
{
    private readonly string _directory = Path.GetFullPath(options.Value.Pickup.Directory);

    public string Name => SmsProviderNames.Pickup;

    public string PathFor(string messageKey) => Path.Combine(_directory, messageKey + ".sms.json");

    public async Task<ProviderResult> SendAsync(OutgoingSms sms, CancellationToken cancellationToken = default)
    {
        try
        {
            Directory.CreateDirectory(_directory);
            var path = PathFor(sms.MessageKey);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var length = SmsText.Measure(sms.Text);
            await File.WriteAllBytesAsync(
                temp,
                JsonSerializer.SerializeToUtf8Bytes(new PickedUpSms(sms.From, sms.To, sms.Text, length.Encoding, length.Segments, sms.Tag, sms.RepeatabilityRequestId), CommsJson.Options),
                cancellationToken);
            File.Move(temp, path, overwrite: true);
            return ProviderResult.Accepted(Path.GetFileName(path));
        }
        catch (IOException e)
        {
            return ProviderResult.Down($"SMS pickup folder not writable: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return ProviderResult.Down($"SMS pickup folder not writable: {e.Message}", retryable: false);
        }
    }
}

/// <summary>What the pickup folder holds for one SMS.</summary>
public sealed record PickedUpSms(string From, string To, string Text, SmsEncoding Encoding, int Segments, string Tag, Guid RepeatabilityRequestId);
