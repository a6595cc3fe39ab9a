namespace CommunityGrid.Clearing.Mechanisms;

/// <summary>
/// A pricing rule: decides who trades how much inside the community and at which internal price.
/// Everything not traded internally goes to or comes from the grid; money is settled by the engine.
/// </summary>
public interface IMechanism
{
    InternalMatch Match(OrderBook book);
}
