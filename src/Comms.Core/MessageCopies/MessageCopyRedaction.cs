using System.Text.RegularExpressions;

namespace Comms.MessageCopies;

/// <summary>
/// The last line of defence before a copy is stored: the copy is built from the renderer's redacted content
/// (secrets of the model are already "[hidden]") and masked links, and this scrubs anything link-shaped that still
/// carries a credential, such as a token a template wrote in a variable that is not marked secret.
/// </summary>
public static partial class MessageCopyRedaction
{
    public const string Mask = Templates.ModelSecrets.Mask;

    /// <summary>Replaces the value of every credential-like query parameter (token, key, code, signature…).</summary>
    public static string Scrub(string text) => CredentialParameter().Replace(text, m => m.Groups["name"].Value + Mask);

    // "&amp;" is how an HTML body writes "&"; the value runs to the next delimiter of a URL, an attribute or a text line.
    [GeneratedRegex(@"(?<name>(?:[?&]|&amp;)(?:[A-Za-z_-]*(?:token|key|code|sig|signature|secret|password|auth)[A-Za-z_-]*)=)[^&\s""'<>#]+", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialParameter();
}
