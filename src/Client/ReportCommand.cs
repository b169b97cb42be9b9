using System.CommandLine;
using Unlearning.Grains;

namespace Unlearning.Client;

/// <summary><c>report &lt;run&gt;</c>: Tables 1-3 of a run in Markdown, CSV and LaTeX.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run id (a folder under OUT/runs)" };
        var output = CommonOptions.Out();
        var command = new Command("report", "Write Tables 1-3 of a run (report.md, report.csv, report.tex) next to the published values") { run, output };
        command.SetAction(parse =>
        {
            try
            {
                var path = RunReportWriter.Write(Path.GetFullPath(parse.GetValue(output)!), parse.GetValue(run)!);
                Console.WriteLine(File.ReadAllText(path));
                Console.Error.WriteLine($"written: {path} (+ .csv, .tex)");
                return 0;
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
