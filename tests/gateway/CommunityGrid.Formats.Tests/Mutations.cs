using System;

namespace CommunityGrid.Formats.Tests
{
    /// <summary>Small random edits of valid encodings: the inputs where two strict decoders are most likely to disagree.</summary>
    internal static class Mutations
    {
        private static readonly byte[] InterestingBytes = { 0x00, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x20, 0x38, 0x40, 0x5f, 0x60, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xd2, 0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xff };

        public static byte[] Mutate(Random random, byte[] input)
        {
            byte[] data = (byte[])input.Clone();
            int edits = 1 + random.Next(2);
            for (int e = 0; e < edits && data.Length > 0; e++)
            {
                int at = random.Next(data.Length);
                switch (random.Next(6))
                {
                    case 0: data[at] ^= (byte)(1 << random.Next(8)); break;
                    case 1: data[at] = InterestingBytes[random.Next(InterestingBytes.Length)]; break;
                    case 2: data[at] = (byte)random.Next(256); break;
                    case 3: data = data[..at]; break;
                    case 4: data = [.. data[..at], InterestingBytes[random.Next(InterestingBytes.Length)], .. data[at..]]; break;
                    default: data = [.. data[..at], .. data[(at + 1)..]]; break;
                }
            }
            return data;
        }
    }
}
