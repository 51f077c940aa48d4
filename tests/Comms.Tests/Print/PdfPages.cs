using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;

namespace Comms.Tests.Print;

/// <summary>Reads a PDF back with PDFsharp's own reader: the text of each page (its Tj strings, one line each).</summary>
public static class PdfPages
{
    public static IReadOnlyList<string> Text(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        var pages = new List<string>();
        foreach (var page in document.Pages)
        {
            var lines = new List<string>();
            Collect(ContentReader.ReadContent(page), lines);
            pages.Add(string.Join('\n', lines));
        }

        return pages;
    }

    private static void Collect(CSequence sequence, List<string> lines)
    {
        foreach (var item in sequence)
        {
            switch (item)
            {
                case COperator { OpCode.Name: "Tj" } op:
                    lines.AddRange(op.Operands.OfType<CString>().Select(s => s.Value));
                    break;
                case CSequence inner:
                    Collect(inner, lines);
                    break;
            }
        }
    }
}
