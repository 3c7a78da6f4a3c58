namespace ConvTransposeExplorer;

/// <summary>What is cut from (positive) or added to (negative) each side of the full scatter canvas to give the output.</summary>
/// <param name="Top">Rows cut at the top: PyTorch's p, Keras' ⌊(k_eff − s)/2⌋ for 'same'.</param>
/// <param name="Bottom">Rows cut at the bottom: p − output_padding; negative adds zero rows.</param>
/// <param name="Left">Columns cut at the left.</param>
/// <param name="Right">Columns cut at the right.</param>
public sealed record Crop(int Top, int Bottom, int Left, int Right);

/// <summary>One dimension of the output-size formula, with the numbers filled in.</summary>
/// <param name="Axis">"H", "W" or "L".</param>
/// <param name="Symbolic">The formula in letters.</param>
/// <param name="Numeric">The same with numbers and the result.</param>
/// <param name="Size">The output size.</param>
/// <param name="Back">Conv2d's formula mapping the output size back to the input size.</param>
/// <param name="Range">Which output sizes Conv2d maps to the same input size (why output_padding exists).</param>
public sealed record FormulaLine(string Axis, string Symbolic, string Numeric, int Size, string Back, string Range);

/// <summary>One step of the scatter view: an input element, its scaled kernel copy and the running sum.</summary>
/// <param name="Channel">Input channel.</param>
/// <param name="Row">Input row.</param>
/// <param name="Col">Input column.</param>
/// <param name="Value">The element's text, as PyTorch prints it in the input.</param>
/// <param name="Top">Canvas row of the copy's first tap: Row·stride.</param>
/// <param name="Left">Canvas column of the copy's first tap: Col·stride.</param>
/// <param name="Scaled">value · weight[channel]: [C_out, kH, kW].</param>
/// <param name="Sum">The canvas after adding this copy: [C_out, fullH, fullW].</param>
public sealed record ScatterStep(int Channel, int Row, int Col, string Value, int Top, int Left, TensorView Scaled, TensorView Sum);

/// <summary>The scatter view: copies of the kernel, scaled by each input element, placed stride apart and summed.</summary>
/// <param name="Full">The uncropped canvas [C_out, fullH, fullW].</param>
/// <param name="Crop">What is cut from it to give the output.</param>
/// <param name="Steps">One step per input element (empty when there are too many to step through).</param>
/// <param name="Check">max |cropped canvas − ConvTranspose2d|, printed as PyTorch prints it.</param>
public sealed record ScatterView(TensorView Full, Crop Crop, IReadOnlyList<ScatterStep> Steps, string Check);

/// <summary>The zero-insertion view: stretch the input, pad it by d(k−1) − p, flip the kernel, slide a window.</summary>
/// <param name="Stretched">The input with stride − 1 zeros between elements [C_in, (H−1)s+1, (W−1)s+1].</param>
/// <param name="PadTop">d(k−1) − crop.Top rows added above (negative: cut).</param>
/// <param name="PadBottom">Rows added below.</param>
/// <param name="PadLeft">Columns added at the left.</param>
/// <param name="PadRight">Columns added at the right.</param>
/// <param name="Padded">The stretched, padded input [C_in, PH, PW].</param>
/// <param name="Flipped">The kernel flipped in both axes, channels swapped: [C_out, C_in, kH, kW].</param>
/// <param name="Output">The stride-1 convolution of Padded with Flipped (dilation d): the output.</param>
/// <param name="Check">max |Output − ConvTranspose2d|.</param>
public sealed record ZeroInsertionView(TensorView Stretched, int PadTop, int PadBottom, int PadLeft, int PadRight,
                                       TensorView Padded, TensorView Flipped, TensorView Output, string Check);

/// <summary>The matrix view: ConvTranspose2d is multiplication by Cᵀ, the transpose of Conv2d's matrix C.</summary>
/// <param name="Ct">Cᵀ [C_out·H'·W', C_in·H·W]; null when it is too large to draw.</param>
/// <param name="RowLabels">Output position of each row, e.g. "y[0,1,2]".</param>
/// <param name="ColumnLabels">Input element of each column, e.g. "x[0,0,1]".</param>
/// <param name="Rows">Rows of Cᵀ.</param>
/// <param name="Columns">Columns of Cᵀ.</param>
/// <param name="Product">Cᵀ·vec(x), folded back to [C_out, H', W'].</param>
/// <param name="Check">max |Cᵀ·vec(x) − ConvTranspose2d(x)|.</param>
public sealed record MatrixView(TensorView? Ct, string[] RowLabels, string[] ColumnLabels, int Rows, int Columns, TensorView Product, string Check);

/// <summary>The overlap map: how many kernel taps reach each output position; uneven counts are the checkerboard.</summary>
/// <param name="Counts">[H', W'].</param>
/// <param name="Min">Smallest count.</param>
/// <param name="Max">Largest count.</param>
/// <param name="PhasesH">Taps reaching an interior row, by row mod stride (null in 1-d).</param>
/// <param name="PhasesW">Taps reaching an interior column, by column mod stride.</param>
/// <param name="Even">True when every phase gets as many taps (no checkerboard).</param>
/// <param name="Check">max |counts − ConvTranspose2d(ones, ones)|.</param>
public sealed record OverlapView(TensorView Counts, int Min, int Max, int[]? PhasesH, int[] PhasesW, bool Even, string Check);

/// <summary>The gradient view: Conv2d's input gradient for an upstream gradient g, next to ConvTranspose2d(g).</summary>
/// <param name="Call">The Conv2d (or Keras Conv2D) call, as text.</param>
/// <param name="Upstream">g: the explorer's input, used as ∂L/∂y [C_in, H, W].</param>
/// <param name="InputGrad">z.grad from backprop through Conv2d [C_out, H', W'].</param>
/// <param name="Transposed">ConvTranspose2d(g) [C_out, H', W'].</param>
/// <param name="Check">max |z.grad − ConvTranspose2d(g)|.</param>
/// <param name="Note">Set when Conv2d's output is larger than g (output_padding ≥ stride): g is padded with zeros.</param>
public sealed record GradientView(string Call, TensorView Upstream, TensorView InputGrad, TensorView Transposed, string Check, string? Note);

/// <summary>Everything the page shows for one state; when <see cref="Error"/> is set the views are null.</summary>
/// <param name="Query">The state's deep link (explicit keys, no preset).</param>
/// <param name="Setup">The resolved state (null when the query itself could not be read).</param>
/// <param name="PresetTitle">The preset's title, when the state is an unchanged preset.</param>
/// <param name="PresetNote">The preset's note.</param>
/// <param name="Error">PyTorch's error message (from MiniTorch) or the explorer's own refusal.</param>
/// <param name="ErrorSource">"pytorch" or "explorer".</param>
/// <param name="Call">The PyTorch (or Keras) call that the state describes.</param>
/// <param name="Input">x [C_in, H, W].</param>
/// <param name="Weight">weight [C_in, C_out, kH, kW].</param>
/// <param name="KerasKernel">Keras mode: the same kernel as Keras stores it, (kh, kw, out, in).</param>
/// <param name="Output">ConvTranspose2d(x) [C_out, H', W'].</param>
/// <param name="Printed">The input, weight and output as <c>print()</c> shows them in PyTorch.</param>
/// <param name="Formula">The output-size formula per spatial dimension.</param>
/// <param name="Scatter">The scatter view.</param>
/// <param name="ZeroInsertion">The zero-insertion view.</param>
/// <param name="Matrix">The matrix view.</param>
/// <param name="Overlap">The overlap heat map.</param>
/// <param name="Gradient">The gradient view.</param>
/// <param name="Notices">Views left out, and why.</param>
public sealed record Explanation(
    string? Query, Setup? Setup, string? PresetTitle, string? PresetNote, string? Error, string? ErrorSource, string? Call,
    TensorView? Input, TensorView? Weight, TensorView? KerasKernel, TensorView? Output, IReadOnlyDictionary<string, string>? Printed,
    IReadOnlyList<FormulaLine>? Formula, ScatterView? Scatter, ZeroInsertionView? ZeroInsertion, MatrixView? Matrix,
    OverlapView? Overlap, GradientView? Gradient, IReadOnlyList<string> Notices);
