using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Breakaway;

/// <summary>
/// The boundary side of an exit: when the interval before a house's exit interval has closed, every interval the
/// house takes part in is settled, so its exit becomes final in the same block (docs/breakaway.md §3): the balance
/// and the fund share are fixed in the exit record with the house's meters as last accepted, the balance entry goes,
/// and the house stops being a member (no votes, no quorum, no proposals). Its meters stay enrolled, retired.
/// </summary>
public static class ExitFinalization
{
    /// <summary>Finalizes the exits due at the boundary <paramref name="nextIntervalStart"/>, all of them with the same fund share.</summary>
    public static void FinalizeDue(StateView state, long nextIntervalStart)
    {
        var houses = new List<string>();
        foreach (KeyValuePair<string, byte[]> entry in state.WithPrefix(ExitKeys.DuePrefix))
        {
            if (ExitKeys.DueInterval(entry.Key) > nextIntervalStart) break;
            houses.Add(ExitKeys.DueHouse(entry.Key));
            state.Overlay.Delete(entry.Key);
        }
        if (houses.Count == 0) return;
        long share = FundSharePerLeaver(state);
        foreach (string house in houses)
        {
            ExitRecord announced = state.Exit(house)!;
            long balance = state.Balance(house);
            state.PutExit(house, announced with
            {
                Status = ExitStatus.Final,
                FinalBalance = balance,
                FundShare = share,
                Meters = ExitTransactions.MetersOf(state, house),
            });
            state.SetExitSettled(house, 0);
            state.Overlay.Delete(StateKeys.Balance(house));
            if (state.IsMember(house)) EffectRules.RemoveMember(state, house);
        }
        state.SetFund(checked(state.Fund - share * houses.Count));
    }

    /// <summary>
    /// ⌊fund × exitFundSharePermille ÷ (1000 × member houses)⌋, computed once for all houses leaving at a boundary
    /// (members counted before any of them leaves), so the k leavers together take at most k/n of the fund.
    /// </summary>
    private static long FundSharePerLeaver(StateView state)
    {
        long fund = state.Fund;
        int permille = state.Parameters.ExitFundSharePermille;
        int members = state.MemberCount();
        if (fund <= 0 || permille == 0 || members == 0) return 0;
        return (long)((Int128)fund * permille / (1000 * (Int128)members));
    }
}
