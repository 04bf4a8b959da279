using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace TeacherTrainer.Benchmarks.Load;

/// <summary>The report's charts, as SVG files (OxyPlot's SVG exporter needs no native library).</summary>
public static class Charts
{
    public static void TurnLatency(string path, IReadOnlyList<(string Label, LatencySummary Turns)> runs, double targetMs)
    {
        var model = Model("Practice turn latency over HTTP (embedded mode)");
        var x = new CategoryAxis { Position = AxisPosition.Bottom, Title = "simulated trainees (unpaced: saturation; paced: a fixed total rate)", Angle = 0 };
        x.Labels.AddRange(runs.Select(r => r.Label));
        model.Axes.Add(x);
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Left, Title = "milliseconds (log scale)", MajorGridlineStyle = LineStyle.Dot });
        foreach (var (name, pick, colour) in new (string, Func<LatencySummary, double>, OxyColor)[]
        {
            ("p50", s => s.P50, OxyColors.SteelBlue), ("p95", s => s.P95, OxyColors.DarkOrange), ("p99", s => s.P99, OxyColors.Firebrick),
        })
        {
            var series = new LineSeries { Title = name, Color = colour, MarkerType = MarkerType.Circle, MarkerSize = 4 };
            for (var i = 0; i < runs.Count; i++) series.Points.Add(new DataPoint(i, Math.Max(0.1, pick(runs[i].Turns))));
            model.Series.Add(series);
        }
        var target = new LineSeries { Title = $"target p95 ({targetMs:F0} ms)", Color = OxyColors.Gray, LineStyle = LineStyle.Dash };
        target.Points.Add(new DataPoint(-0.3, targetMs));
        target.Points.Add(new DataPoint(runs.Count - 0.7, targetMs));
        model.Series.Add(target);
        Save(model, path);
    }

    public static void Throughput(string path, IReadOnlyList<(string Label, LatencySummary Turns)> runs, double targetPerSecond, double embeddingLimit)
    {
        var model = Model("Practice turns per second");
        var x = new CategoryAxis { Position = AxisPosition.Left, Title = "" };
        x.Labels.AddRange(runs.Select(r => r.Label));
        model.Axes.Add(x);
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Bottom, Title = "turns/s", Minimum = 0, MajorGridlineStyle = LineStyle.Dot,
            Maximum = Math.Max(embeddingLimit, runs.Max(r => r.Turns.PerSecond)) * 1.1
        });
        var bars = new BarSeries { Title = "measured", FillColor = OxyColors.SteelBlue, LabelFormatString = "{0:F0}", LabelPlacement = LabelPlacement.Inside, TextColor = OxyColors.White };
        foreach (var run in runs) bars.Items.Add(new BarItem(run.Turns.PerSecond));
        model.Series.Add(bars);
        model.Annotations.Add(new OxyPlot.Annotations.LineAnnotation { Type = OxyPlot.Annotations.LineAnnotationType.Vertical, X = targetPerSecond, Color = OxyColors.DarkOrange, Text = $"target {targetPerSecond:F0}/s", LineStyle = LineStyle.Dash });
        model.Annotations.Add(new OxyPlot.Annotations.LineAnnotation { Type = OxyPlot.Annotations.LineAnnotationType.Vertical, X = embeddingLimit, Color = OxyColors.Firebrick, Text = $"model limit {embeddingLimit:F0} encodes/s", LineStyle = LineStyle.Dash });
        Save(model, path);
    }

    public static void TimeBreakdown(string path, string title, IReadOnlyDictionary<string, PhaseSummary> phases, double clientMeanMs)
    {
        var model = Model(title);
        string[] order = ["load", "judge", "embed", "persona", "save", "ser", "total"];
        var present = order.Where(phases.ContainsKey).ToList();
        var x = new CategoryAxis { Position = AxisPosition.Left };
        x.Labels.AddRange(present.Select(Describe).Append("client-measured turn"));
        model.Axes.Add(x);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "mean milliseconds", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        var bars = new BarSeries { FillColor = OxyColors.SteelBlue, LabelFormatString = "{0:F1}", LabelPlacement = LabelPlacement.Outside };
        foreach (var phase in present) bars.Items.Add(new BarItem(phases[phase].Mean));
        bars.Items.Add(new BarItem(clientMeanMs) { Color = OxyColors.DarkOrange });
        model.Series.Add(bars);
        Save(model, path);
    }

    public static void VectorSearch(string path, IReadOnlyList<VectorSearchBenchmark.SizeResult> sizes)
    {
        var model = Model($"HNSW (m={VectorSearchBenchmark.M}, ef_construction={VectorSearchBenchmark.EfConstruction}): recall@10 against p95 latency by ef_search");
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "p95 latency (ms)", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "recall@10", Maximum = 1.0, MajorGridlineStyle = LineStyle.Dot });
        var colours = new[] { OxyColors.SteelBlue, OxyColors.DarkOrange, OxyColors.ForestGreen };
        for (var i = 0; i < sizes.Count; i++)
        {
            var series = new LineSeries { Title = $"{sizes[i].Vectors:N0} vectors", Color = colours[i % colours.Length], MarkerType = MarkerType.Circle, MarkerSize = 4 };
            foreach (var point in sizes[i].Points)
            {
                series.Points.Add(new DataPoint(point.P95Ms, point.RecallAt10));
                model.Annotations.Add(new OxyPlot.Annotations.TextAnnotation
                {
                    TextPosition = new DataPoint(point.P95Ms, point.RecallAt10), Text = $"ef {point.EfSearch}", FontSize = 10,
                    Stroke = OxyColors.Transparent, TextVerticalAlignment = VerticalAlignment.Top,
                });
            }
            model.Series.Add(series);
        }
        Save(model, path);
    }

    private static string Describe(string phase) => phase switch
    {
        "load" => "read session (db)",
        "judge" => "judgement (incl. embedding)",
        "embed" => "embedding (model)",
        "persona" => "persona reply",
        "save" => "save turn (db)",
        "ser" => "JSON serialisation",
        "total" => "handler total",
        _ => phase,
    };

    private static PlotModel Model(string title)
    {
        var model = new PlotModel { Title = title, TitleFontSize = 14, Background = OxyColors.White, DefaultFont = "Arial" };
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopLeft, LegendPlacement = LegendPlacement.Inside, LegendBackground = OxyColor.FromAColor(200, OxyColors.White) });
        return model;
    }

    private static void Save(PlotModel model, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        SvgExporter.Export(model, stream, 820, 420, isDocument: true);
    }
}
