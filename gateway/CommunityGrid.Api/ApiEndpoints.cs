using System;
using CommunityGrid.Api.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CommunityGrid.Api;

/// <summary>Maps the gateway's HTTP API (docs/api.md) onto a host's routes.</summary>
public static class ApiEndpoints
{
    public static void MapGatewayApi(this IEndpointRouteBuilder routes, IGatewayBackend backend)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(backend);

        // Path values are bound as strings and parsed by the handlers, so a malformed one gets a 400 that says
        // what is wrong instead of the empty 404 a route constraint would give.
        routes.MapGet("/status", () => ChainQueries.Status(backend, TimeProvider.System));
        routes.MapGet("/blocks/{height}", (string height) => ChainQueries.Block(backend, height));
        routes.MapGet("/transactions/{txId}", (string txId) => ChainQueries.Transaction(backend, txId));
        routes.MapPost("/transactions", (HttpRequest request) => Submission.Submit(backend, request, request.HttpContext.RequestAborted));
        routes.MapGet("/meters/{meterId}/readings", (string meterId, HttpRequest request) => AccountQueries.Readings(backend, meterId, request.Query));
        routes.MapGet("/houses/{houseId}/balance", (string houseId) => AccountQueries.Balance(backend, houseId));
        routes.MapGet("/houses/{houseId}/exit", (string houseId) => ExitQueries.Exit(backend, houseId));
        routes.MapGet("/intervals/{intervalStart}/settlement", (string intervalStart) => AccountQueries.Settlement(backend, intervalStart));
        routes.MapGet("/houses", () => HouseQueries.Houses(backend));
        routes.MapGet("/houses/{houseId}/statement", (string houseId, HttpRequest request) => HouseQueries.Statement(backend, houseId, request.Query));
        routes.MapGet("/meters", () => HouseQueries.Meters(backend));
        routes.MapGet("/community/totals", (HttpRequest request) => CommunityQueries.Totals(backend, request.Query));
        routes.MapGet("/validators", () => CommunityQueries.Validators(backend));
        routes.MapGet("/validators/changes", (HttpRequest request) => ValidatorChangeQueries.Changes(backend, request.Query));
        routes.MapGet("/signers/{publicKey}", (string publicKey) => AccountQueries.Signer(backend, publicKey));
        routes.MapGet("/proposals", (HttpRequest request) => GovernanceQueries.Proposals(backend, request.Query));
        routes.MapGet("/proposals/{proposalId}", (string proposalId) => GovernanceQueries.Proposal(backend, proposalId));
        routes.MapGet("/statements", (HttpRequest request) => GovernanceQueries.Statements(backend, request.Query));
        routes.MapGet("/fund", (HttpRequest request) => GovernanceQueries.Fund(backend, request.Query));
        routes.MapGet("/metrics", () => Results.Text(PrometheusText.Render(backend.Metrics.Snapshot(), ProcessFigures.Read()), PrometheusText.ContentType));
    }
}
