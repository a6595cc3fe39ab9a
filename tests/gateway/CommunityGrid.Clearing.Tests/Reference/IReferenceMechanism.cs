namespace CommunityGrid.Clearing.Tests.Reference;

// Reference oracle: today's engine before the issue-18 rewrite, verbatim but for type names. See ReferenceClearingEngine.

/// <summary>
/// A pricing rule: decides who trades how much inside the community and at which internal price.
/// Everything not traded internally goes to or comes from the grid; money is settled by the engine.
/// </summary>
public interface IReferenceMechanism
{
    ReferenceInternalMatch Match(ReferenceOrderBook book);
}
