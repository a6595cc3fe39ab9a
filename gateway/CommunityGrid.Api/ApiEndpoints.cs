using System;
using Microsoft.AspNetCore.Routing;

namespace CommunityGrid.Api;

/// <summary>Maps the gateway's HTTP API (docs/api.md) onto a host's routes.</summary>
public static class ApiEndpoints
{
    public static void MapGatewayApi(this IEndpointRouteBuilder routes, IGatewayBackend backend)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(backend);
    }
}
