using System.CommandLine;

namespace CommunityGrid.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("cgrid: CommunityGrid command line");
        return root.Parse(args).Invoke();
    }
}
