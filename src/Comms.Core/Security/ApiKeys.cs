using System.Security.Cryptography;
using System.Text;

namespace Comms.Security;

/// <summary>
/// Library API keys: 256 random bits, shown once, stored only as a SHA-256 hash. A salted slow hash is not
/// needed because the key is random, not a password a person chose.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "lck_";

    public static string Generate() =>
        Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool Matches(string presented, string storedHash)
    {
        var presentedHash = Encoding.ASCII.GetBytes(Hash(presented));
        var stored = Encoding.ASCII.GetBytes(storedHash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, stored);
    }

    /// <summary>Constant-time comparison of two secrets of any length (the platform admin key).</summary>
    public static bool SecretEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
