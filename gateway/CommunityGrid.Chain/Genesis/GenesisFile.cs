using System.IO;
using System.Text.Json;

namespace CommunityGrid.Chain.Genesis;

/// <summary>Reads and writes the genesis JSON file. Unknown fields are errors, so a typo cannot silently fall back to a default.</summary>
public static class GenesisFile
{
    /// <exception cref="GenesisException">not JSON of a genesis document, or a rule is broken.</exception>
    public static GenesisDocument Parse(string json)
    {
        GenesisDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, GenesisJsonContext.Default.GenesisDocument);
        }
        catch (JsonException e)
        {
            throw new GenesisException($"genesis is not a valid genesis JSON document: {e.Message}");
        }
        if (document is null) throw new GenesisException("genesis file holds JSON null");
        GenesisCanonical.Require(document);
        return document;
    }

    public static GenesisDocument Load(string path) => Parse(File.ReadAllText(path));

    public static string ToJson(GenesisDocument document) => JsonSerializer.Serialize(document, GenesisJsonContext.Default.GenesisDocument);

    public static void Write(string path, GenesisDocument document)
    {
        GenesisCanonical.Require(document);
        File.WriteAllText(path, ToJson(document));
    }
}
