using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CommunityGrid.Meter.Meters;

namespace CommunityGrid.Meter.Tests.Meters;

/// <summary>hardware/registers/*.csv is the documented map; the firmware's tables must say exactly the same.</summary>
public class RegisterMapFileTests
{
    [Theory]
    [InlineData("sdm120.csv")]
    [InlineData("sdm630.csv")]
    public void Code_table_matches_the_csv(string file)
    {
        MeterRegister[] code = file == "sdm120.csv" ? EastronRegisterMaps.Sdm120() : EastronRegisterMaps.Sdm630();
        List<Dictionary<string, string>> rows = ReadCsv(Path.Combine(RegistersDirectory(), file));

        Assert.Equal(code.Length, rows.Count);
        for (int i = 0; i < code.Length; i++)
        {
            Dictionary<string, string> row = rows[i];
            string where = file + " row " + (i + 2);
            Assert.True(code[i].Name == row["name"], where + ": name " + row["name"] + " vs code " + code[i].Name);
            Assert.True(code[i].Address == ParseHex(row["address"]), where + ": address");
            Assert.True(code[i].ReferenceNumber == int.Parse(row["reference"], CultureInfo.InvariantCulture), where + ": reference number");
            Assert.True(30001 + ParseHex(row["address"]) == int.Parse(row["reference"], CultureInfo.InvariantCulture), where + ": reference ≠ 30001 + address");
            Assert.True(code[i].FunctionCode == ParseHex(row["function"]), where + ": function");
            Assert.True(code[i].Unit == row["unit"], where + ": unit");
            Assert.Equal("float32", row["type"]);
            Assert.Equal("high-word-first", row["word_order"]);
            Assert.False(string.IsNullOrWhiteSpace(row["source"]), where + ": source missing");
        }
    }

    private static int ParseHex(string text)
    {
        Assert.StartsWith("0x", text);
        return int.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private static string RegistersDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "hardware", "registers");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "CommunityGrid.sln"))) return candidate;
        }
        throw new DirectoryNotFoundException("hardware/registers not found above " + AppContext.BaseDirectory);
    }

    /// <summary>RFC 4180 subset: comma separated, double-quoted fields may contain commas and "" escapes.</summary>
    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        string[] lines = File.ReadAllLines(path);
        List<string> header = SplitLine(lines[0]);
        var rows = new List<Dictionary<string, string>>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            List<string> fields = SplitLine(lines[i]);
            Assert.True(fields.Count == header.Count, path + " line " + (i + 1) + " has " + fields.Count + " fields, header has " + header.Count);
            var row = new Dictionary<string, string>();
            for (int f = 0; f < header.Count; f++) row[header[f]] = fields[f];
            rows.Add(row);
        }
        return rows;
    }

    private static List<string> SplitLine(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
