using Comms.Common;
using Comms.Storage;

namespace Comms.Print;

/// <summary>The optional body of "make a batch now": one branch's waiting notices, or (no branch) every waiting notice.</summary>
public sealed record CreatePrintBatchRequest
{
    public string? Branch { get; init; }

    public void Validate()
    {
        if (Branch is not null && !TableKeys.IsValidId(Branch))
        {
            throw RequestValidationException.For("branch", "Use a branch id as patrons carry it: 1-100 letters, digits, '.', '_' or '-'.");
        }
    }
}
