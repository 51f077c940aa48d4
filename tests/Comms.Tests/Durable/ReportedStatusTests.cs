using Comms.Functions.Durable;
using Microsoft.DurableTask.Client;

namespace Comms.Tests.Durable;

/// <summary>The instance status a loan, card or reservation view reports (see ReportedStatus for the backend's start race).</summary>
public sealed class ReportedStatusTests
{
    [Fact]
    public void PendingRowWithACustomStatus_IsReportedRunning_TheOrchestrationHasRun() =>
        Assert.Equal("Running", ReportedStatus.Of(new OrchestrationMetadata("LoanOrchestrator", "loan:a:b") { RuntimeStatus = OrchestrationRuntimeStatus.Pending, SerializedCustomStatus = "{\"state\":\"active\"}" }));

    [Fact]
    public void PendingRowWithoutACustomStatus_StaysPending_ItNeverRan() =>
        Assert.Equal("Pending", ReportedStatus.Of(new OrchestrationMetadata("LoanOrchestrator", "loan:a:b") { RuntimeStatus = OrchestrationRuntimeStatus.Pending }));

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Running)]
    [InlineData(OrchestrationRuntimeStatus.Completed)]
    [InlineData(OrchestrationRuntimeStatus.Failed)]
    public void OtherStatuses_AreReportedAsTheyAre(OrchestrationRuntimeStatus status) =>
        Assert.Equal(status.ToString(), ReportedStatus.Of(new OrchestrationMetadata("LoanOrchestrator", "loan:a:b") { RuntimeStatus = status, SerializedCustomStatus = "{}" }));

    [Fact]
    public void NoInstance_IsNull() => Assert.Null(ReportedStatus.Of(null));
}
