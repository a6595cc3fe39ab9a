using System;
using System.IO;
using System.Security.Cryptography;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Linux.Config;

namespace CommunityGrid.Meter.Linux.Tests.Runtime;

/// <summary>The "lightClient" section: the genesis validators as KEY@address become the set encoding whose hash headers name.</summary>
public sealed class LightClientSettingsTests : IDisposable
{
    private const string KeyA = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private const string KeyB = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private readonly string _directory = Directory.CreateTempSubdirectory("cg-lightclient-config-").FullName;

    private string Write(string lightClient)
    {
        string path = Path.Combine(_directory, "meter.json");
        File.WriteAllText(path, $$"""
            { "meterId": "m1", "chainId": "c1", "keyFile": "k", "gatewayPublicKeys": ["{{KeyA}}"], "dataDirectory": "d",
              "broker": { "url": "mqtt://127.0.0.1" } {{lightClient}} }
            """);
        return path;
    }

    [Fact]
    public void Validators_in_any_order_give_the_canonical_set_sorted_by_key()
    {
        LightClientSettings settings = MeterSettings.Load(Write($$""", "lightClient": { "validators": ["{{KeyA}}@gw-a:7400", "{{KeyB.ToUpperInvariant()}}@gw-b:7400"] }""")).LightClient!;
        TrustedValidatorSet set = TrustedValidatorSet.FromEncoding(settings.SetEncoding);
        Assert.Equal(2, set.Count);
        Assert.Equal(Convert.FromHexString(KeyB), set.KeyAt(0));
        Assert.Equal(SHA256.HashData(settings.SetEncoding), set.Hash);
        Assert.Equal((4L, 2880L), (settings.StaleAfterIntervals, settings.TrustExpiresAfterIntervals));
        Assert.Null(MeterSettings.Load(Write("")).LightClient);
    }

    [Theory]
    [InlineData("[\"" + KeyA + "\"]", "KEY@host:port")]
    [InlineData("[\"abcd@gw:1\"]", "64-hex-digit key")]
    [InlineData("[\"" + KeyA + "@a:1\", \"" + KeyA + "@b:1\"]", "twice")]
    [InlineData("[]", "must list the community's validators")]
    public void A_wrong_validator_list_is_refused_with_what_to_write(string validators, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => MeterSettings.Load(Write($$""", "lightClient": { "validators": {{validators}} }""")));
        Assert.Contains(expected, error.Message);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
