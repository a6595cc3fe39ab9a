using System;
using System.IO;
using System.Text;

namespace CommunityGrid.Protocol.Tests.Cose
{
    /// <summary>
    /// The worked example of docs/protocol.md: the example reading signed with RFC 8032 TEST 1's seed.
    /// The signature was cross-checked against libsodium (CoseSign1Tests compares with an NSec construction).
    /// </summary>
    internal static class DocumentedExample
    {
        public const string ProtectedHeaderHex =
            "a2" + "01" + "27" + "03" + "782a" + "6170706c69636174696f6e2f766e642e636f6d6d756e697479677269642e72656164696e672b63626f72";

        public const string SigStructureHex =
            "84" + "6a" + "5369676e617475726531" + "5830" + ProtectedHeaderHex + "40" + "5847" + Readings.MeterReadingCodecTests.ExampleHex;

        public const string SignatureHex =
            "86f5f1cb4a23af506164715e2053b3a3c3c0d92031d169f290235bae84f92469"
            + "c20fabe1037367d405b95b825f9b6fb7673604d8ff116d96f470ed5ceb83af0d";

        public const string SignedReadingHex =
            "d2" + "84" + "5830" + ProtectedHeaderHex
            + "a1" + "04" + "5820" + CoseSign1Tests.Rfc8032Test1PublicKey
            + "5847" + Readings.MeterReadingCodecTests.ExampleHex
            + "5840" + SignatureHex;

        /// <summary>
        /// The hex of the fenced block that follows the line <c>&lt;!-- example: name --&gt;</c> in docs/protocol.md,
        /// with everything after '#' on each line (the annotations) and all white space removed.
        /// </summary>
        public static string FromProtocolDoc(string name)
        {
            string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "protocol.md"));
            string marker = "<!-- example: " + name + " -->";
            int at = Array.IndexOf(lines, marker);
            Assert.True(at >= 0, "docs/protocol.md has no line " + marker);
            Assert.StartsWith("```", lines[at + 1]);
            var hex = new StringBuilder();
            for (int i = at + 2; !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
            {
                string line = lines[i];
                int comment = line.IndexOf('#');
                if (comment >= 0) line = line.Substring(0, comment);
                foreach (char c in line)
                {
                    if (!char.IsWhiteSpace(c)) hex.Append(c);
                }
            }
            return hex.ToString();
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CommunityGrid.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("no CommunityGrid.sln above " + AppContext.BaseDirectory);
        }
    }
}
