namespace CommunityGrid.Meter
{
    internal static class Placeholder
    {
        public static int Answer() { return 42; }
    }
}
