using System.Net;
using System.Net.Http.Headers;
using Vtuber.Server.Tests.Security;
using Vtuber.Server.Tests.Support;

namespace Vtuber.Server.Tests.Observability;

/// <summary>
/// With an access token: /metrics and the dashboard's JSON need the Bearer token, the dashboard page ?token= (a
/// browser cannot send a header when it opens a page); its script and the health probes stay open.
/// </summary>
public sealed class OperatorAccessTests(TokenServerFixture fixture) : IClassFixture<TokenServerFixture>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.BaseUri };

    public void Dispose() => _http.Dispose();

    private async Task<HttpStatusCode> StatusAsync(string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Metrics_and_the_dashboard_need_the_token_and_health_does_not()
    {
        const string token = AccessTokenTests.Token;
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/metrics"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/metrics", "wrong"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/metrics", token));

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/api/metrics/summary"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/metrics/summary", token));

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/dashboard/"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/dashboard/?token=wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/dashboard"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync($"/dashboard/?token={token}"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/dashboard/dashboard.js")); // code, no data

        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/health/live"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/health/ready"));
    }
}
