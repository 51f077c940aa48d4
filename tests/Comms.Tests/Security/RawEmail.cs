using System.Text;
using MimeKit;

namespace Comms.Tests.Security;

/// <summary>
/// A message as the provider wrote it: the bytes of a pickup .eml, or the DATA an SMTP relay received with
/// the envelope recipients the sink records in front of it ("X-Envelope-To: a,b"). The header block is read
/// line by line from the bytes, so an injected header is seen even where a parser would hide it.
/// </summary>
public sealed class RawEmail
{
    private const string EnvelopePrefix = "X-Envelope-To: ";

    private RawEmail(string path, IReadOnlyList<string>? envelope, byte[] bytes)
    {
        Path = path;
        Envelope = envelope;
        Bytes = bytes;
        var text = Encoding.UTF8.GetString(bytes);
        var end = HeaderEnd(text);
        HeaderBlock = end < 0 ? text : text[..end];
        Message = MimeMessage.Load(new MemoryStream(bytes));
    }

    public string Path { get; }

    /// <summary>RCPT TO addresses (SMTP only): who the relay delivers to, whatever the headers say.</summary>
    public IReadOnlyList<string>? Envelope { get; }

    public byte[] Bytes { get; }

    /// <summary>Everything before the first empty line, line ends as written.</summary>
    public string HeaderBlock { get; }

    public MimeMessage Message { get; }

    /// <summary>Header lines with continuation lines (starting with a space or tab) folded into their header.</summary>
    public IReadOnlyList<string> Headers()
    {
        var headers = new List<string>();
        foreach (var line in HeaderBlock.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.Length > 0 && line[0] is ' ' or '\t' && headers.Count > 0)
            {
                headers[^1] += line;
            }
            else
            {
                headers.Add(line);
            }
        }

        return headers;
    }

    /// <summary>Header names in the order written; a line with no "name:" is returned whole, so it fails any allowlist.</summary>
    public IReadOnlyList<string> HeaderNames() =>
        [.. Headers().Select(h => h.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && !h[..colon].Contains(' ', StringComparison.Ordinal) ? h[..colon] : h)];

    /// <summary>A CR not followed by LF: some mail software treats it as a line end, so none may reach the headers.</summary>
    public int BareCarriageReturnsInHeaders() =>
        HeaderBlock.Select((c, i) => c == '\r' && (i + 1 >= HeaderBlock.Length || HeaderBlock[i + 1] != '\n')).Count(bare => bare);

    public static RawEmail Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!bytes.AsSpan().StartsWith(Encoding.ASCII.GetBytes(EnvelopePrefix)))
        {
            return new RawEmail(path, null, bytes);
        }

        var lineEnd = Array.IndexOf(bytes, (byte)'\n');
        var envelope = Encoding.ASCII.GetString(bytes, EnvelopePrefix.Length, lineEnd - EnvelopePrefix.Length).TrimEnd('\r').Split(',');
        return new RawEmail(path, envelope, bytes[(lineEnd + 1)..]);
    }

    private static int HeaderEnd(string text)
    {
        var crlf = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lf = text.IndexOf("\n\n", StringComparison.Ordinal);
        return crlf < 0 ? lf : lf < 0 ? crlf : Math.Min(crlf, lf);
    }
}
