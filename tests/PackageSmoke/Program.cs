// A user's console app: references the MiniTorch package (not the project) and checks a result.
// .ci/pack-smoke packs the library into a local folder, copies this app outside the repository,
// restores it offline from that folder, builds and runs it; a non-zero exit code fails CI.
using MiniTorch;
using MiniTorch.Nn;

var x = Torch.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 1, 1, 2, 3).RequiresGrad_();
var w = Torch.Linspace(0.1, 4.8, 48, DType.Float64).Reshape(1, 3, 4, 4).RequiresGrad_();
var y = F.ConvTranspose2d(x, w, stride: 1, padding: 0);   // [1, 3, 5, 6]
var loss = y.Pow(2).Mean();
loss.Backward();
Console.WriteLine(y);
Console.WriteLine($"loss {loss.Item():R}, x.grad {string.Join(", ", x.Grad!.ToDoubleArray().Select(v => v.ToString("G6")))}");

// ConvTranspose2d is the adjoint of Conv2d: <C x, z> = <x, Cᵀ z>.
var z = Torch.Randn([1, 3, 5, 6], new Generator(1), DType.Float64);
double lhs = (F.Conv2d(z, w.Detach()) * x.Detach()).Sum().Item();
double rhs = (y.Detach() * z).Sum().Item();
bool ok = y.Shape.SequenceEqual([1, 3, 5, 6]) && Math.Abs(lhs - rhs) <= 1e-9 * Math.Abs(lhs);
Console.WriteLine(ok ? $"MiniTorch package works: <Conv2d(z), x> = {lhs:R} = <z, ConvTranspose2d(x)>" : $"MISMATCH: {lhs:R} vs {rhs:R}");
return ok ? 0 : 1;
