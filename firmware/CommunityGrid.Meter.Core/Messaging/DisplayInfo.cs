namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// What the gateway tells a household's display (retained on the display topic): the community's current internal
    /// price, the house's balance and the chain height these figures were taken at. Money in minor units, signed
    /// (a balance can be owed; a price below zero is representable should a community ever allow one).
    /// </summary>
    public sealed class DisplayInfo
    {
        internal const string MessageName = "display";

        /// <exception cref="MessageFormatException">an id is not 1..64 UTF-8 bytes, or the block height is negative.</exception>
        public DisplayInfo(string chainId, string meterId, long priceMinorPerKwh, long balanceMinor, long lastBlockHeight)
        {
            MessageFields.CheckId(MessageName, "chain id", chainId);
            MessageFields.CheckId(MessageName, "meter id", meterId);
            MessageFields.CheckNotNegative(MessageName, "last block height", lastBlockHeight);
            ChainId = chainId;
            MeterId = meterId;
            PriceMinorPerKwh = priceMinorPerKwh;
            BalanceMinor = balanceMinor;
            LastBlockHeight = lastBlockHeight;
        }

        public string ChainId { get; }

        public string MeterId { get; }

        /// <summary>Internal exchange price of the last settled interval, minor units per kWh.</summary>
        public long PriceMinorPerKwh { get; }

        public long BalanceMinor { get; }

        public long LastBlockHeight { get; }

        public bool IsFor(string chainId, string meterId)
        {
            return ChainId == chainId && MeterId == meterId;
        }

        public override string ToString()
        {
            return "display " + ChainId + "/" + MeterId + " price " + PriceMinorPerKwh + "/kWh balance " + BalanceMinor + " block " + LastBlockHeight;
        }
    }
}
