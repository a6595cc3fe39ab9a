using System.Collections.Generic;
using System.Text;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.HomeAssistant;

namespace CommunityGrid.Meter.Core.Tests.HomeAssistant;

/// <summary>What the ESP32 app owes the household broker and in which order.</summary>
public sealed class HomeAssistantFeedTests
{
    private static HomeAssistantFeed NewFeed() => new(new HomeAssistantDiscovery("meter-0005", "homeassistant", "cgrid-meter (ESP32)", "v"));

    /// <summary>Publishes everything owed, as the link does, and returns topic=payload in publish order.</summary>
    private static List<string> Drain(HomeAssistantFeed feed)
    {
        var sent = new List<string>();
        for (int i = feed.NextUnsent(); i >= 0; i = feed.NextUnsent())
        {
            byte[] payload = feed.PayloadAt(i);
            sent.Add(feed.TopicAt(i) + "=" + Encoding.UTF8.GetString(payload));
            feed.Sent(i, payload);
        }
        return sent;
    }

    [Fact]
    public void Configs_go_before_states_and_availability_after_a_connect()
    {
        HomeAssistantFeed feed = NewFeed();
        feed.Reading(900, 1_000, 0, 250);
        feed.Connected();
        List<string> sent = Drain(feed);
        Assert.Equal(6 + 3 + 1, sent.Count);
        Assert.All(sent.GetRange(0, 6), s => Assert.Matches(@"^homeassistant/sensor/communitygrid_meter-0005/\w+/config=\{", s));
        Assert.Equal(
            ["communitygrid/meter-0005/import_energy=1.000", "communitygrid/meter-0005/export_energy=0.000", "communitygrid/meter-0005/pv_energy=0.250",
             "communitygrid/meter-0005/availability=online"],
            sent.GetRange(6, 4));
        Assert.Empty(Drain(feed));
    }

    [Fact]
    public void Only_changed_values_are_owed_and_a_new_connection_owes_everything_again()
    {
        HomeAssistantFeed feed = NewFeed();
        feed.Connected();
        Drain(feed);
        feed.Reading(900, 1_000, 0, 0);
        Drain(feed);
        feed.Reading(1800, 1_500, 0, 0);
        // Export and PV energy did not change; the three powers are new.
        Assert.Equal(
            ["communitygrid/meter-0005/import_energy=1.500", "communitygrid/meter-0005/import_power=2000",
             "communitygrid/meter-0005/export_power=0", "communitygrid/meter-0005/pv_power=0"],
            Drain(feed));
        feed.Connected();
        Assert.Equal(feed.Count, Drain(feed).Count);
    }

    [Fact]
    public void A_value_replaced_while_it_was_being_published_is_still_owed()
    {
        HomeAssistantFeed feed = NewFeed();
        feed.Connected();
        Drain(feed);
        feed.Reading(900, 1_000, 0, 0);
        int i = feed.NextUnsent();
        byte[] inFlight = feed.PayloadAt(i);
        feed.Reading(1800, 2_000, 0, 0);
        feed.Sent(i, inFlight);
        Assert.Contains("communitygrid/meter-0005/import_energy=2.000", Drain(feed));
    }

    [Fact]
    public void Price_and_balance_appear_once_the_gateway_has_sent_them()
    {
        HomeAssistantFeed feed = NewFeed();
        var state = new MeterDisplayState { CurrencyCode = "EUR", CurrencyDecimals = 2 };
        feed.PriceAndBalance(state);
        Assert.Equal(6, feed.Count);
        state.HasPrice = true;
        state.PriceMinorPerKwh = 2150;
        state.HasBalance = true;
        state.BalanceMinor = -1234;
        feed.PriceAndBalance(state);
        List<string> sent = Drain(feed);
        Assert.Contains(sent, s => s.StartsWith("homeassistant/sensor/communitygrid_meter-0005/price/config={", System.StringComparison.Ordinal));
        Assert.Contains(sent, s => s.StartsWith("homeassistant/sensor/communitygrid_meter-0005/balance/config={", System.StringComparison.Ordinal));
        Assert.Equal(["communitygrid/meter-0005/price=21.50", "communitygrid/meter-0005/balance=-12.34"], sent.GetRange(sent.Count - 2, 2));
        // Every topic the feed can ever hold fits.
        feed.Reading(900, 1, 1, 1);
        feed.Reading(1800, 2, 2, 2);
        feed.Connected();
        Assert.Equal(HomeAssistantFeed.Capacity, feed.Count);
    }
}
