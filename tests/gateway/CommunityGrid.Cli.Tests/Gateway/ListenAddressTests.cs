using System;
using System.Net;
using CommunityGrid.Cli.Input;

namespace CommunityGrid.Cli.Tests.Gateway;

public class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1:8080")]
    [InlineData("localhost:8080", "127.0.0.1:8080")]
    [InlineData("LOCALHOST:1883", "127.0.0.1:1883")]
    [InlineData(":8080", "0.0.0.0:8080")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    [InlineData("0.0.0.0:0", "0.0.0.0:0")]
    public void Accepts_the_forms_operators_write(string text, string expected) =>
        Assert.Equal(IPEndPoint.Parse(expected), ListenAddress.Parse(text, "--http"));

    [Theory]
    [InlineData("8080")]
    [InlineData("localhost")]
    [InlineData("example.org:8080")]
    [InlineData(":http")]
    public void Refuses_anything_else_saying_what_would_do(string text)
    {
        FormatException e = Assert.Throws<FormatException>(() => ListenAddress.Parse(text, "--http"));
        Assert.Contains($"--http '{text}'", e.Message);
        Assert.Contains("localhost:PORT", e.Message);
    }
}
