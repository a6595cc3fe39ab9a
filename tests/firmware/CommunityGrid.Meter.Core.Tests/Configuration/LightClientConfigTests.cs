using System;
using System.Linq;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Core.Tests.LightClient;
using CommunityGrid.Meter.LightClient;

namespace CommunityGrid.Meter.Tests.Configuration;

/// <summary>The ESP32 meter's lightclient.* keys: off unless validators are listed, the set encoded as the chain does, every mistake named.</summary>
public class LightClientConfigTests
{
    private const string KeyA = "1111111111111111111111111111111111111111111111111111111111111111";
    private const string KeyB = "2222222222222222222222222222222222222222222222222222222222222222";

    [Fact]
    public void The_light_client_is_off_unless_validators_are_listed()
    {
        LightClientConfig off = MeterConfig.Parse(ConfigTexts.With()).LightClient;
        Assert.False(off.Enabled);
        LightClientConfig on = MeterConfig.Parse(ConfigTexts.With($"lightclient.validators = {KeyA}@gw-a.local:7400")).LightClient;
        Assert.True(on.Enabled);
        Assert.Equal((1, 4L, 2880L), (on.Validators, on.StaleAfterIntervals, on.TrustExpiresAfterIntervals));
        LightClientConfig windows = MeterConfig.Parse(ConfigTexts.With($"lightclient.validators = {KeyA}@gw-a.local:7400",
            "lightclient.stale.intervals = 8", "lightclient.trust.intervals = 96")).LightClient;
        Assert.Equal((8L, 96L), (windows.StaleAfterIntervals, windows.TrustExpiresAfterIntervals));
    }

    [Fact]
    public void The_listed_validators_encode_as_the_gateways_set_in_any_order()
    {
        using var validators = new Validators(4, 1);
        // Listed in reverse key order, with spaces: the meter sorts them as chain.md §1 does.
        string list = string.Join(" , ", Enumerable.Range(0, validators.Count).Reverse()
            .Select(i => Convert.ToHexString(validators[i].PublicKey) + $"@gw{i}.maple.example:7400"));
        LightClientConfig config = MeterConfig.Parse(ConfigTexts.With("lightclient.validators = " + list)).LightClient;
        Assert.Equal(validators.SetEncoding(), config.SetEncoding);
        Assert.Equal(4, TrustedValidatorSet.FromEncoding(config.SetEncoding).Count);
    }

    [Fact]
    public void Every_light_client_key_is_a_meter_config_key()
    {
        foreach (string key in LightClientConfig.Keys) Assert.Contains(key, MeterConfig.Keys);
    }

    [Theory]
    [InlineData("lightclient.stale.intervals = 4", "lightclient.stale.intervals", "is set but lightclient.validators is not")]
    [InlineData("lightclient.trust.intervals = 96", "lightclient.trust.intervals", "is set but lightclient.validators is not")]
    [InlineData("lightclient.validators = " + KeyA, "lightclient.validators", "validator 1 of 1 ('" + KeyA + "') is not KEY@host:port")]
    [InlineData("lightclient.validators = " + KeyA + "@", "lightclient.validators", "is not KEY@host:port")]
    [InlineData("lightclient.validators = 11@gw:7400", "lightclient.validators", "is not KEY@host:port")]
    [InlineData("lightclient.validators = " + KeyA + "@gw-a:7400, zz" + "11111111111111111111111111111111111111111111111111111111111111@gw-b:7400", "lightclient.validators", "validator 2 of 2")]
    [InlineData("lightclient.validators = " + KeyA + "@gw-a:7400,", "lightclient.validators", "validator 2 of 2 ('') is not KEY@host:port")]
    [InlineData("lightclient.validators = " + KeyB + "@gw-b:7400, " + KeyA + "@gw-a:7400, " + KeyB + "@gw-c:7400", "lightclient.validators", "names key " + KeyB + " twice")]
    [InlineData("lightclient.validators = " + KeyA + "@gw-a:7400|lightclient.stale.intervals = 0", "lightclient.stale.intervals", "out of range")]
    [InlineData("lightclient.validators = " + KeyA + "@gw-a:7400|lightclient.stale.intervals = 10|lightclient.trust.intervals = 9", "lightclient.trust.intervals", "is below lightclient.stale.intervals (10)")]
    public void A_bad_light_client_key_names_what_is_wrong(string changes, string key, string expected)
    {
        string text = ConfigTexts.With(changes.Split('|'));
        ConfigException error = Assert.Throws<ConfigException>(() => MeterConfig.Parse(text));
        Assert.Equal(key, error.Key);
        Assert.Equal(ConfigTexts.LineOf(text, key), error.LineNumber);
        Assert.Contains(expected, error.Message);
    }
}
