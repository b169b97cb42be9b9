using System.Diagnostics;

namespace Unlearning.Bench;

/// <summary>This program again, with other arguments, its output redirected: through the dotnet host
/// where it runs as a dll, else its own executable (a self-contained build on a machine without .NET).</summary>
internal static class SelfProcess
{
    public static ProcessStartInfo With(IEnumerable<string> args)
    {
        var path = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet") psi.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }
}
