namespace MiniTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// Keeps this tensor's memory beyond the <see cref="Storage.MemoryScope"/> it was created in: its
    /// storage (shared by every view of it) leaves the scope for good and is freed by the garbage
    /// collector like any .NET object. Returns this tensor. Outside a scope it changes nothing.
    /// </summary>
    /// <remarks>There is no PyTorch counterpart: PyTorch's reference counting knows when a tensor is
    /// still used; a .NET program says so for tensors it carries from one scope to the next.</remarks>
    /// <exception cref="InvalidOperationException">The scope already ended and the memory was given back.</exception>
    public Tensor Keep()
    {
        Storage.Keep();
        return this;
    }
}
