using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CommunityGrid.Simulation.Benchmarks;

/// <summary>Adds "house-intervals/s": houses × 96 intervals divided by the mean time of one simulated day.</summary>
public sealed class HouseIntervalsConfig : ManualConfig
{
    public HouseIntervalsConfig() => AddColumn(new HouseIntervalsPerSecondColumn());

    private sealed class HouseIntervalsPerSecondColumn : IColumn
    {
        public string Id => nameof(HouseIntervalsPerSecondColumn);
        public string ColumnName => "house-intervals/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Simulated house-intervals (15 min) per second of wall time";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            BenchmarkReport? report = summary.Reports.FirstOrDefault(r => r.BenchmarkCase == benchmarkCase);
            if (report?.ResultStatistics is not { } stats) return "-";
            int houses = (int)benchmarkCase.Parameters.Items.First(p => p.Name == nameof(CommunityDayBenchmarks.Houses)).Value;
            double seconds = stats.Mean / 1e9;
            return (houses * 96 / seconds).ToString("0", CultureInfo.InvariantCulture);
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
