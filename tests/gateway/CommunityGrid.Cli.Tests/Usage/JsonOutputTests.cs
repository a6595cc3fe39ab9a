using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Cli.Tests.Community;
using CommunityGrid.Formats.Keys;

namespace CommunityGrid.Cli.Tests.Usage;

/// <summary>
/// Issue 17 item 6: <c>--json</c> on the admin and query commands prints exactly one JSON document on stdout
/// (real cgrid processes against a gateway on loopback); errors stay text on stderr with the usual exit codes.
/// </summary>
public sealed class JsonOutputTests(TestGateway gateway) : IClassFixture<TestGateway>, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("cgrid-json-").FullName;
    private string MemberKeyPath => Path.Combine(gateway.Directory, "h1-member.key");

    private static CgridProcess.Result Cgrid(params string[] args) => CgridProcess.Run(null, args);

    /// <summary>The whole of stdout as one JSON document (JsonDocument.Parse refuses anything after the first).</summary>
    private static JsonElement Document(CgridProcess.Result result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        using JsonDocument document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Keys_new_and_show_print_the_file_and_its_public_key()
    {
        string path = Path.Combine(dir, "a.key");
        JsonElement made = Document(Cgrid("keys", "new", "--out", path, "--json"));
        string publicKey = KeyFile.Read(path).PublicKeyHex;
        Assert.Equal(publicKey, made.GetProperty("publicKey").GetString());
        Assert.Equal(path, made.GetProperty("file").GetString());
        Assert.Equal(publicKey, Document(Cgrid("keys", "show", path, "--json")).GetProperty("publicKey").GetString());
    }

    [Fact]
    public async Task Admin_commands_print_the_transaction_and_whether_it_committed()
    {
        string meterKey = TestGateway.NewPublicKey();
        JsonElement enrolled = Document(Cgrid("meter", "enrol", "--gateway", gateway.Url, "--installer-key", gateway.InstallerKeyPath,
            "--meter-key-public", meterKey, "--meter-id", "m-json", "--house", "h1", "--role", "connection", "--wait", "10", "--json"));
        string txId = enrolled.GetProperty("txId").GetString()!;
        Assert.Equal("committed", enrolled.GetProperty("status").GetString());
        Assert.Equal("enrol-meter", enrolled.GetProperty("type").GetString());
        Assert.Equal(TestGateway.Chain, enrolled.GetProperty("chainId").GetString());
        Assert.Equal(gateway.InstallerKey.PublicKeyHex, enrolled.GetProperty("signer").GetString());
        TransactionResponse tx = await gateway.WaitForAsync("/transactions/" + txId, ApiJsonContext.Default.TransactionResponse);
        Assert.Equal(tx.EnrolMeter!.Nonce, enrolled.GetProperty("nonce").GetInt64());

        gateway.HoldSubmissions = true;
        try
        {
            JsonElement pending = Document(Cgrid("statement", "post", "--gateway", gateway.Url, "--member-key", MemberKeyPath, "--text", "held", "--json"));
            Assert.Equal("pending", pending.GetProperty("status").GetString());
            Assert.Equal("statement", pending.GetProperty("type").GetString());
        }
        finally
        {
            gateway.HoldSubmissions = false;
        }
    }

    [Fact]
    public void Governance_queries_print_the_gateways_documents()
    {
        JsonElement made = Document(Cgrid("proposal", "new", "--gateway", gateway.Url, "--member-key", MemberKeyPath,
            "--kind", "resolution", "--title", "Plant a hedge", "--json"));
        string id = made.GetProperty("txId").GetString()!;
        Assert.Equal("proposal", made.GetProperty("type").GetString());
        Assert.Equal(0, Cgrid("statement", "post", "--gateway", gateway.Url, "--member-key", MemberKeyPath, "--proposal", id, "--text", "Yes, hawthorn.").ExitCode);

        JsonElement list = Document(Cgrid("proposal", "list", "--gateway", gateway.Url, "--json"));
        Assert.Contains(list.GetProperty("proposals").EnumerateArray(), p => p.GetProperty("id").GetString() == id && p.GetProperty("title").GetString() == "Plant a hedge");

        JsonElement shown = Document(Cgrid("proposal", "show", id, "--gateway", gateway.Url, "--json"));
        Assert.Equal(id, shown.GetProperty("proposal").GetProperty("id").GetString());
        Assert.Equal("open", shown.GetProperty("proposal").GetProperty("status").GetString());

        JsonElement statements = Document(Cgrid("statement", "list", "--gateway", gateway.Url, "--proposal", id, "--json"));
        JsonElement statement = Assert.Single(statements.GetProperty("statements").EnumerateArray());
        Assert.Equal("Yes, hawthorn.", statement.GetProperty("text").GetString());

        JsonElement fund = Document(Cgrid("fund", "history", "--gateway", gateway.Url, "--json"));
        Assert.Equal(0, fund.GetProperty("fund").GetInt64());
        Assert.Equal("EUR", fund.GetProperty("currency").GetString());
        Assert.Equal(JsonValueKind.Array, fund.GetProperty("payouts").ValueKind);
    }

    [Fact]
    public void Community_init_prints_the_genesis_hash_and_the_document_it_wrote()
    {
        string path = Path.Combine(dir, "genesis.json");
        JsonElement written = Document(Cgrid("community", "init", "--out", path, "--id", "oakfield", "--name", "Oakfield",
            "--member", "h1=" + TestGateway.NewPublicKey(), "--installer", TestGateway.NewPublicKey(), "--treasurer", TestGateway.NewPublicKey(),
            "--validator", TestGateway.NewPublicKey() + "@127.0.0.1:7001", "--json"));
        GenesisDocument genesis = GenesisFile.Load(path);
        Assert.Equal(Hashes.Hex(GenesisCanonical.Hash(genesis)), written.GetProperty("genesisHash").GetString());
        Assert.Equal("oakfield", written.GetProperty("genesis").GetProperty("chainId").GetString());
        Assert.Equal(genesis.RetailPrice, written.GetProperty("genesis").GetProperty("retailPrice").GetInt64());
    }

    [Fact]
    public void Verify_prints_the_verdict_and_a_failed_check_is_still_a_document_with_exit_1()
    {
        string sim = Path.Combine(dir, "sim");
        CgridProcess.Result simulated = Cgrid("simulate", "--houses", "2", "--days", "1", "--out", sim);
        Assert.True(simulated.ExitCode == 0, simulated.Stderr);
        JsonElement valid = Document(Cgrid("verify", "--data", sim, "--json"));
        Assert.True(valid.GetProperty("valid").GetBoolean());
        Assert.True(valid.GetProperty("height").GetInt64() > 96);
        Assert.Matches("^[0-9a-f]{64}$", valid.GetProperty("tipHash").GetString());

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(sim, "chain.sqlite")};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE state SET value = CASE WHEN value = x'01' THEN x'02' ELSE x'01' END WHERE key = 'balance/h001'";
            Assert.Equal(1, update.ExecuteNonQuery());
        }
        CgridProcess.Result tampered = Cgrid("verify", "--data", sim, "--json");
        Assert.Equal(1, tampered.ExitCode);
        using JsonDocument invalid = JsonDocument.Parse(tampered.Stdout);
        Assert.False(invalid.RootElement.GetProperty("valid").GetBoolean());
        Assert.Contains("balance/h001", invalid.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public void Errors_stay_on_stderr_with_their_exit_codes_and_stdout_stays_empty()
    {
        CgridProcess.Result missing = Cgrid("proposal", "show", new string('c', 64), "--gateway", gateway.Url, "--json");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("", missing.Stdout);
        Assert.StartsWith("error: ", missing.Stderr);

        CgridProcess.Result badKey = Cgrid("keys", "show", Path.Combine(dir, "absent.key"), "--json");
        Assert.Equal(2, badKey.ExitCode);
        Assert.Equal("", badKey.Stdout);

        CgridProcess.Result noChain = Cgrid("verify", "--data", Path.Combine(dir, "nothing"), "--json");
        Assert.Equal(2, noChain.ExitCode);
        Assert.Equal("", noChain.Stdout);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
