using System.Globalization;
using Comms.Common;
using Microsoft.AspNetCore.Http;

namespace Comms.Functions.Http;

/// <summary>Query-string paging: pageSize (1-1000, default 100) and the continuation token of the previous page.</summary>
public static class Paging
{
    public static (int PageSize, string? ContinuationToken) Read(HttpRequest request)
    {
        var pageSize = 100;
        if (request.Query.TryGetValue("pageSize", out var raw)
            && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 1000))
        {
            throw RequestValidationException.For("pageSize", "Use a whole number from 1 to 1000.");
        }

        var token = request.Query.TryGetValue("continuationToken", out var t) ? t.ToString() : null;
        if (token is { Length: > 2000 })
        {
            throw RequestValidationException.For("continuationToken", "This is not a token this API issued.");
        }

        return (pageSize, string.IsNullOrEmpty(token) ? null : token);
    }
}
