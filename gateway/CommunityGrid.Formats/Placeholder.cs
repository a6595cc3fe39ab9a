namespace CommunityGrid.Formats
{
    internal static class Placeholder
    {
        public static int Answer() { return 42; }
    }
}
