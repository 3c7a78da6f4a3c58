using MiniTorch.Storage;

namespace MiniTorch.Autograd;

/// <summary>The reverse-mode engine: topological sort, reverse walk, sum gradients.</summary>
internal static class Engine
{
    /// <summary>
    /// Backpropagates <paramref name="grads"/> from <paramref name="roots"/>. Leaves receive their
    /// gradient in <see cref="Tensor.Grad"/> when <paramref name="accumulate"/> is set; the
    /// gradients of <paramref name="capture"/> (leaves or not) are returned.
    /// </summary>
    /// <remarks>
    /// Unless the pass records a graph (<paramref name="createGraph"/>), it runs in a memory scope of
    /// its own: the gradients flowing between nodes and the temporaries of each backward go back to
    /// the caching allocator when it returns. Only the leaves' gradients (held by <see cref="Tensor.Grad"/>)
    /// and the returned gradients leave it.
    /// </remarks>
    public static Tensor?[] Run(Tensor[] roots, Tensor?[]? grads, Tensor[]? capture,
                                bool retainGraph, bool createGraph, bool accumulate)
    {
        if (createGraph) return RunPass(roots, grads, capture, retainGraph, createGraph, accumulate);
        using var scope = MemoryScope.OpenInternal();
        var results = RunPass(roots, grads, capture, retainGraph, createGraph, accumulate);
        foreach (var r in results) r?.Storage.Escape(scope);
        return results;
    }

    private static Tensor?[] RunPass(Tensor[] roots, Tensor?[]? grads, Tensor[]? capture,
                                     bool retainGraph, bool createGraph, bool accumulate)
    {
        var seeds = Seeds(roots, grads);
        var order = TopologicalOrder(roots);
        var targets = capture is null ? null : new Targets(capture);
        var needed = targets is null ? null : Needed(order, targets);
        var pending = new Dictionary<Function, Tensor>(ReferenceEqualityComparer.Instance);

        using var mode = GradMode.Set(createGraph);
        for (int i = 0; i < roots.Length; i++) Deliver(roots[i].GradFn, roots[i], seeds[i]);
        for (int n = order.Count - 1; n >= 0; n--)
        {
            var fn = order[n];
            if (!pending.Remove(fn, out var g)) continue;
            targets?.Arrived(fn, g);
            if (needed is not null && !needed.Contains(fn)) continue;
            fn.CheckSaved();
            var inputGrads = fn.Backward(g);
            if (!retainGraph) fn.Release();
            for (int i = 0; i < inputGrads.Length; i++)
                if (inputGrads[i] is { } gi && fn.NeedsGradAt(i)) Deliver(fn.Next(i), fn.Inputs[i], Checked(fn, i, gi));
        }
        return targets is null ? [] : targets.Results();

        // A gradient for the tensor t, which flows into the node `to` (null: t is a leaf).
        void Deliver(Function? to, Tensor t, Tensor g)
        {
            if (to is not null) pending[to] = pending.TryGetValue(to, out var p) ? p + g : g;
            else if (targets is not null) targets.Arrived(t, g);
            else if (accumulate) t.Grad = t.Grad is null ? (createGraph ? g : g.Detach()) : t.Grad + g;
        }
    }

    public const string FreedMessage =
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
        "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
        "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

    private static Tensor[] Seeds(Tensor[] roots, Tensor?[]? grads)
    {
        if (grads is not null && grads.Length != roots.Length)
            throw new ArgumentException($"grad_outputs has {grads.Length} entries but outputs has {roots.Length}");
        var seeds = new Tensor[roots.Length];
        for (int i = 0; i < roots.Length; i++)
        {
            var r = roots[i] ?? throw new ArgumentNullException(nameof(roots), $"element {i} of tensors is null");
            if (!r.RequiresGrad)
                throw new InvalidOperationException($"element {i} of tensors does not require grad and does not have a grad_fn");
            var g = grads?[i];
            if (g is null)
            {
                if (r.Numel != 1) throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
                g = Torch.OnesLike(r);
            }
            if (!Shape.Equal(g.ShapeRef, r.ShapeRef))
                throw new ArgumentException($"Mismatch in shape: grad_output[{i}] has a shape of {Shape.Format(g.ShapeRef)} and output[{i}] has a shape of {Shape.Format(r.ShapeRef)}.");
            if (g.DType != r.DType)
                throw new ArgumentException($"Mismatch in dtype: grad_output[{i}] has a dtype of {g.DType} and output[{i}] has a dtype of {r.DType}.");
            seeds[i] = g;
        }
        return seeds;
    }

    private static Tensor Checked(Function fn, int i, Tensor g)
    {
        var x = fn.Inputs[i];
        if (!Shape.Equal(g.ShapeRef, x.ShapeRef) || g.DType != x.DType)
            throw new InvalidOperationException(
                $"Function {fn.Name} returned an invalid gradient at index {i} - got {Shape.Format(g.ShapeRef)} {g.DType} but expected {Shape.Format(x.ShapeRef)} {x.DType}");
        return g;
    }

    /// <summary>Post-order DFS over the recorded nodes: every node comes after the nodes of its inputs.</summary>
    private static List<Function> TopologicalOrder(Tensor[] roots)
    {
        var order = new List<Function>();
        var seen = new HashSet<Function>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Function fn, int next)>();
        foreach (var r in roots)
        {
            if (r.GradFn is not { } root || !seen.Add(root)) continue;
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (fn, next) = stack.Pop();
                if (next < fn.Inputs.Count)
                {
                    stack.Push((fn, next + 1));
                    if (fn.Next(next) is { } child && seen.Add(child)) stack.Push((child, 0));
                }
                else order.Add(fn);
            }
        }
        return order;
    }

    /// <summary>Nodes from which some captured tensor can be reached (only these run in Torch.Grad).</summary>
    private static HashSet<Function> Needed(List<Function> order, Targets targets)
    {
        var needed = new HashSet<Function>(ReferenceEqualityComparer.Instance);
        foreach (var fn in order)
            for (int i = 0; i < fn.Inputs.Count; i++)
            {
                var next = fn.Next(i);
                bool reaches = next is null ? fn.NeedsGradAt(i) && targets.IsLeaf(fn.Inputs[i]) : targets.IsNode(next) || needed.Contains(next);
                if (reaches) { needed.Add(fn); break; }
            }
        return needed;
    }

    /// <summary>
    /// The tensors <c>Torch.Grad</c> differentiates with respect to: a leaf is reached by its gradient
    /// arriving for the tensor itself, a non-leaf by the total arriving at its node (its grad_fn).
    /// </summary>
    private sealed class Targets(Tensor[] capture)
    {
        private readonly Function?[] _nodes = Array.ConvertAll(capture, t => t.GradFn);
        private readonly Dictionary<object, Tensor> _grads = new(ReferenceEqualityComparer.Instance);

        public bool IsLeaf(Tensor t) => Array.FindIndex(capture, c => ReferenceEquals(c, t) && c.GradFn is null) >= 0;
        public bool IsNode(Function fn) => Array.IndexOf(_nodes, fn) >= 0;

        public void Arrived(Function fn, Tensor g)
        {
            if (IsNode(fn)) _grads[fn] = g;
        }

        public void Arrived(Tensor leaf, Tensor g)
        {
            if (IsLeaf(leaf)) _grads[leaf] = _grads.TryGetValue(leaf, out var c) ? c + g : g;
        }

        public Tensor?[] Results()
        {
            var result = new Tensor?[capture.Length];
            for (int i = 0; i < capture.Length; i++)
                result[i] = _grads.GetValueOrDefault(_nodes[i] ?? (object)capture[i]);
            return result;
        }
    }
}
