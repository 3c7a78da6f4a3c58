using System.CommandLine;
using Dcgan.Data;
using Dcgan.Models;
using Dcgan.Training;
using MiniTorch;

namespace Dcgan.Cli;

/// <summary>
/// The command line: training is the root command (so a bare <c>dotnet run</c> trains with the
/// defaults), and <c>sample</c>, <c>walk</c> and <c>eval</c> work from a checkpoint.
/// </summary>
public static class DcganCli
{
    /// <summary>Exit code for bad input (data, checkpoint, arguments).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code after Ctrl+C (128 + SIGINT, the shell convention); the checkpoint is written.</summary>
    public const int Interrupted = 130;

    /// <summary>Parses <paramref name="args"/> and runs the chosen command; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        // The handlers install their own Ctrl+C handling, so System.CommandLine must not.
        return parse.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
    }

    private static readonly Option<int?> Threads = new("--threads") { Description = "Kernel threads (default: all cores; results do not depend on it)" };

    /// <summary>The training configuration that <paramref name="args"/> (training options only) ask for.</summary>
    public static TrainConfig ParseTrainConfig(params string[] args)
    {
        var options = new TrainOptions();
        var root = new RootCommand();
        options.AddTo(root);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0) throw new DataException(string.Join("; ", parse.Errors.Select(e => e.Message)));
        return options.ToConfig(parse);
    }

    /// <summary>Builds the command tree.</summary>
    public static RootCommand BuildRoot()
    {
        var options = new TrainOptions();
        var root = new RootCommand("Train a tiny DCGAN with MiniTorch (default command), or sample / walk / eval a checkpoint.") { Threads };
        options.AddTo(root);
        root.SetAction(p => Guard(p, () =>
        {
            var config = options.ToConfig(p);
            return TrainMain(config, options.RunDir(p, config), p.GetValue(options.Resume), p.GetValue(options.Epochs), !p.GetValue(options.NoEval), p.GetValue(options.EvalEvery));
        }));

        root.Add(SampleCommand());
        root.Add(WalkCommand());
        root.Add(EvalCommand());
        return root;
    }

    private static int TrainMain(TrainConfig config, string runDir, bool resume, int? epochs, bool evaluate, int? evalEvery)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl+C: finish the current step, checkpoint, exit. A second one kills the process.
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            bool plain = IsPlain();
            IProgressSink sink = plain ? new PlainProgress(Console.Out) : new SpectreProgress();
            Func<Func<TrainOutcome>, TrainOutcome>? wrap = sink is SpectreProgress s ? work => s.Run(work) : null;
            var (trainer, outcome) = Commands.Train(config, runDir, resume, epochs, evaluate, sink, wrap, cts.Token, evalEvery);
            if (outcome == TrainOutcome.Interrupted) return Interrupted;
            Console.WriteLine($"done: {trainer.Epoch} epochs, {trainer.GlobalStep} steps; samples, losses.svg, metrics.json and checkpoint in {runDir}");
            return 0;
        }
        finally { Console.CancelKeyPress -= onCancel; }
    }

    /// <summary>Plain log lines instead of a live display: under CI or when output is redirected.</summary>
    public static bool IsPlain() =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) || Console.IsOutputRedirected;

    private static Command SampleCommand()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint file", Required = true };
        var n = new Option<int>("--n") { Description = "Number of samples", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--out") { Description = "Output PNG", DefaultValueFactory = _ => "grid.png" };
        var seed = new Option<long>("--seed") { Description = "Noise seed", DefaultValueFactory = _ => 0 };
        var nrow = new Option<int>("--nrow") { Description = "Images per row", DefaultValueFactory = _ => 8 };
        var cmd = new Command("sample", "Draw samples from a checkpoint's generator into a PNG grid") { checkpoint, n, output, seed, nrow, Threads };
        cmd.SetAction(p => Guard(p, () =>
        {
            Commands.Sample(p.GetValue(checkpoint)!, p.GetValue(n), p.GetValue(output)!, p.GetValue(seed), Positive(p.GetValue(nrow), "--nrow"));
            Console.WriteLine($"wrote {p.GetValue(output)}");
            return 0;
        }));
        return cmd;
    }

    private static Command WalkCommand()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint file", Required = true };
        var rows = new Option<int>("--rows") { Description = "Number of walks (rows)", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "Images per walk", DefaultValueFactory = _ => 10 };
        var output = new Option<string>("--out") { Description = "Output PNG", DefaultValueFactory = _ => "walk.png" };
        var seed = new Option<long>("--seed") { Description = "Noise seed", DefaultValueFactory = _ => 0 };
        var cmd = new Command("walk", "Interpolate between random latent vectors (one walk per row)") { checkpoint, rows, steps, output, seed, Threads };
        cmd.SetAction(p => Guard(p, () =>
        {
            Commands.Walk(p.GetValue(checkpoint)!, p.GetValue(rows), p.GetValue(steps), p.GetValue(output)!, p.GetValue(seed));
            Console.WriteLine($"wrote {p.GetValue(output)}");
            return 0;
        }));
        return cmd;
    }

    private static Command EvalCommand()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint file", Required = true };
        var samples = new Option<int>("--samples") { Description = "Images per set", DefaultValueFactory = _ => 512 };
        var output = new Option<string?>("--out") { Description = "Also write the rows to this JSON file" };
        var cmd = new Command("eval", "Score a checkpoint's samples with the classifier: confidence, class coverage, Fréchet distance") { checkpoint, samples, output, Threads };
        cmd.SetAction(p => Guard(p, () =>
        {
            Commands.Eval(p.GetValue(checkpoint)!, Positive(p.GetValue(samples), "--samples"), p.GetValue(output), new PlainProgress(Console.Out));
            return 0;
        }));
        return cmd;
    }

    internal static int Positive(int value, string option) =>
        value > 0 ? value : throw new DataException($"{option} must be positive, got {value}");

    /// <summary>Applies common options and turns bad input into a message and exit code instead of a stack trace.</summary>
    private static int Guard(ParseResult p, Func<int> body)
    {
        try
        {
            if (p.GetValue(Threads) is { } t) Torch.SetNumThreads(Positive(t, "--threads"));
            return body();
        }
        catch (DataException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
    }
}
