namespace CommunityGrid.Clearing
{
    internal static class Placeholder
    {
        public static int Answer() { return 42; }
    }
}
