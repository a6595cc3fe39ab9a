using System.Net;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Tests.Support;

namespace CommunityGrid.Api.Tests;

/// <summary>GET /validators/changes on a chain whose set never changed, and its bad requests (the changes themselves: ValidatorSetChangeTests in the web app tests, against real gateways).</summary>
public sealed class ValidatorChangeQueryTests(BusyGateway gateway) : IClassFixture<BusyGateway>
{
    [Fact]
    public void A_set_that_never_changed_has_no_announcements_up_to_the_tip()
    {
        ValidatorChangesResponse all = Http.Get(gateway.Server.Client, "/validators/changes?after=0", ApiJsonContext.Default.ValidatorChangesResponse);
        Assert.Equal((0, gateway.Store.Height), (all.After, all.To));
        Assert.Empty(all.Changes);
        ValidatorChangesResponse part = Http.Get(gateway.Server.Client, "/validators/changes?after=1&to=2", ApiJsonContext.Default.ValidatorChangesResponse);
        Assert.Equal((1, 2), (part.After, part.To));
    }

    [Fact]
    public void Bad_requests_say_what_is_wrong()
    {
        Assert.Contains("'after' must be a block height", Http.GetProblem(gateway.Server.Client, "/validators/changes?after=x", HttpStatusCode.BadRequest).Detail);
        Assert.Contains("'to' must be a block height", Http.GetProblem(gateway.Server.Client, "/validators/changes?to=-1", HttpStatusCode.BadRequest).Detail);
        Assert.Contains("there is no block 999999", Http.GetProblem(gateway.Server.Client, "/validators/changes?after=999999", HttpStatusCode.NotFound).Detail);
    }
}
