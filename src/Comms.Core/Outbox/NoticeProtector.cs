using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Comms.Outbox;

/// <summary>
/// Encrypts a queued notice's data at rest (AES-256-GCM, key derived with HKDF from Comms:Outbox:ProtectionKey),
/// bound to the notice it belongs to, so a row copied onto another notice does not decrypt.
/// </summary>
public sealed class NoticeProtector(IOptions<OutboxOptions> options)
{
    private const string Version = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key = HKDF.DeriveKey(
        HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(options.Value.ProtectionKey), 32, info: Encoding.UTF8.GetBytes("comms-outbox-notice"));

    public string Protect(string noticeKey, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(noticeKey));
        return Version + Convert.ToBase64String(output);
    }

    /// <summary>The plaintext, or null when it was not protected with this key for this notice.</summary>
    public string? Unprotect(string noticeKey, string protectedText)
    {
        if (!protectedText.StartsWith(Version, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var input = Convert.FromBase64String(protectedText[Version.Length..]);
            var plain = new byte[input.Length - NonceSize - TagSize];
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(noticeKey));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }
}
