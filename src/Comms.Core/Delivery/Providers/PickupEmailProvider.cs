using MimeKit;
using Microsoft.Extensions.Options;

namespace Comms.Delivery.Providers;

/// <summary>
/// Writes each message as {message key}.eml into a folder (the local default, and what an IIS/Exchange
/// pickup directory or a mail catcher reads). The file name comes from the notice ids, so a repeat overwrites.
/// </summary>
public sealed class PickupEmailProvider(IOptions<EmailOptions> options, TimeProvider clock) : IEmailProvider
{
    private readonly string _directory = Path.GetFullPath(options.Value.Pickup.Directory);

    public string Name => ProviderNames.Pickup;

    public bool IdempotentByMessageKey => true;

    public string PathFor(string messageKey) => Path.Combine(_directory, messageKey + ".eml");

    public async Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default)
    {
        try
        {
            Directory.CreateDirectory(_directory);
            var path = PathFor(email.MessageKey);

            // Write aside, then rename: a reader of the folder never sees half a message.
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var message = MimeMessages.Create(email, clock.GetUtcNow());
            await using (var stream = File.Create(temp))
            {
                // BCC lines must survive in the file: a pickup reader takes recipients from the headers.
                var format = FormatOptions.Default.Clone();
                format.HiddenHeaders.Clear();
                await message.WriteToAsync(format, stream, cancellationToken);
            }

            File.Move(temp, path, overwrite: true);
            return ProviderResult.Accepted(Path.GetFileName(path));
        }
        catch (IOException e)
        {
            return ProviderResult.Down($"Pickup folder not writable: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return ProviderResult.Down($"Pickup folder not writable: {e.Message}", retryable: false);
        }
    }
}
