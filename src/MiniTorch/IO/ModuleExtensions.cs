using MiniTorch.Nn;

namespace MiniTorch.IO;

/// <summary>Saving and loading a module's state dict as a safetensors file.</summary>
public static class ModuleExtensions
{
    /// <summary>Saves <see cref="Module.StateDict"/> (parameters and buffers) to a safetensors file, atomically.</summary>
    public static void SaveSafetensors(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(module);
        Safetensors.Save(module.StateDict(), path, metadata);
    }

    /// <summary>
    /// Loads a safetensors file into the module with <see cref="Module.LoadStateDict"/>; with
    /// <paramref name="strict"/>, missing and unexpected names are errors.
    /// </summary>
    public static void LoadSafetensors(this Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(module);
        module.LoadStateDict(Safetensors.Load(path), strict);
    }
}
