using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// Gathering and scattering along one dimension by int64 indices (destination last). Indices are
/// validated by the caller; tensors are dense and row-major.
/// </summary>
internal static class Index
{
    /// <summary>
    /// dst[p] = src[… index[p] …]: for every position p of the index tensor (shape
    /// <paramref name="indexShape"/>), the element of src at p's coordinates with coordinate
    /// <paramref name="dim"/> replaced by index[p] (<c>torch.gather</c>).
    /// </summary>
    public static void Gather<T>(ReadOnlySpan<T> src, ReadOnlySpan<int> srcShape, ReadOnlySpan<long> index, ReadOnlySpan<int> indexShape, int dim, Span<T> dst)
    {
        var walk = new Walk(srcShape, indexShape, dim);
        for (int p = 0; p < index.Length; p++, walk.Next()) dst[p] = src[walk.Base + (int)index[p] * walk.DimStride];
    }

    /// <summary>dst[… index[p] …] += src[p], the adjoint of <see cref="Gather{T}"/> (<c>scatter_add_</c>); src has the index's shape.</summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> src, ReadOnlySpan<long> index, ReadOnlySpan<int> indexShape, int dim, Span<T> dst, ReadOnlySpan<int> dstShape)
        where T : INumberBase<T>
    {
        var walk = new Walk(dstShape, indexShape, dim);
        for (int p = 0; p < index.Length; p++, walk.Next()) dst[walk.Base + (int)index[p] * walk.DimStride] += src[p];
    }

    /// <summary>
    /// Viewing src as [outer, size, inner] and dst as [outer, n, inner]: dst[o, k, :] = src[o, index[k], :]
    /// (<c>index_select</c>).
    /// </summary>
    public static void Select<T>(ReadOnlySpan<T> src, int outer, int size, int inner, ReadOnlySpan<long> index, Span<T> dst)
    {
        int n = index.Length;
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < n; k++)
                src.Slice((o * size + (int)index[k]) * inner, inner).CopyTo(dst.Slice((o * n + k) * inner, inner));
    }

    /// <summary>dst[o, index[k], :] += alpha·src[o, k, :], the adjoint of <see cref="Select{T}"/> (<c>index_add_</c>).</summary>
    public static void Add<T>(ReadOnlySpan<T> src, int outer, int size, int inner, ReadOnlySpan<long> index, T alpha, Span<T> dst)
        where T : INumberBase<T>, IAdditionOperators<T, T, T>, IAdditiveIdentity<T, T>, IMultiplyOperators<T, T, T>, IMultiplicativeIdentity<T, T>
    {
        int n = index.Length;
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < n; k++)
            {
                var row = dst.Slice((o * size + (int)index[k]) * inner, inner);
                var from = src.Slice((o * n + k) * inner, inner);
                if (alpha == T.One) TensorPrimitives.Add(row, from, row);
                else TensorPrimitives.MultiplyAdd(from, alpha, row, row);
            }
    }

    /// <summary>Walks the positions of an index tensor in row-major order, tracking the offset in a tensor of shape <c>outer</c> without the indexed coordinate.</summary>
    private ref struct Walk
    {
        private readonly ReadOnlySpan<int> _indexShape;
        private readonly int[] _strides;
        private readonly int[] _coord;
        private readonly int _dim;

        public Walk(ReadOnlySpan<int> outerShape, ReadOnlySpan<int> indexShape, int dim)
        {
            _indexShape = indexShape;
            _strides = Shape.ContiguousStrides(outerShape);
            _coord = new int[indexShape.Length];
            _dim = dim;
            DimStride = indexShape.Length == 0 ? 1 : _strides[dim];
        }

        public int Base { get; private set; }
        public int DimStride { get; }

        public void Next()
        {
            for (int d = _indexShape.Length - 1; d >= 0; d--)
            {
                _coord[d]++;
                if (d != _dim) Base += _strides[d];
                if (_coord[d] < _indexShape[d]) return;
                if (d != _dim) Base -= _strides[d] * _indexShape[d];
                _coord[d] = 0;
            }
        }
    }
}
