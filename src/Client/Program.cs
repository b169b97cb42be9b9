using TorchSharp;
using static TorchSharp.torch;
var sw = System.Diagnostics.Stopwatch.StartNew();
torch.set_num_threads(1);
var a = torch.randn(256, 256);
var b = a.matmul(a);
Console.WriteLine($"{b.shape[0]} {sw.ElapsedMilliseconds}ms threads={torch.get_num_threads()}");
