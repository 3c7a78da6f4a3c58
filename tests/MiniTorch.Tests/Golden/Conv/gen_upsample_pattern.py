# Golden data for the seed notebook's "Transpose Prac" cell:
#   deconv1 = F.interpolate(F.leaky_relu(torch.ones(1, 2, 1, 1)), scale_factor=2)
#   deconv1 = nn.ConvTranspose2d(2, 4, 7, bias=False, padding=0)(deconv1)   # -> [1, 4, 8, 8]
# The seed used random weights; here the weight is linspace(0.1, 4.8, 392) so the values are
# reproducible, and the gradient of sum(out * g) w.r.t. the input is stored too.
# Run with: /usr/bin/python3 gen_upsample_pattern.py  (torch 1.13)
import json
import torch
import torch.nn.functional as F

torch.manual_seed(0)
tx = torch.ones(1, 2, 1, 1, dtype=torch.float64, requires_grad=True)
up = F.interpolate(F.leaky_relu(tx), scale_factor=2)
w = torch.linspace(0.1, 4.8, 2 * 4 * 7 * 7, dtype=torch.float64).reshape(2, 4, 7, 7)
out = F.conv_transpose2d(up, w)
g = torch.randn(out.shape, dtype=torch.float64)
(out * g).sum().backward()
json.dump({
    "interpolated_shape": list(up.shape),
    "output_shape": list(out.shape),
    "output": out.detach().flatten().tolist(),
    "upstream": g.flatten().tolist(),
    "input_grad": tx.grad.flatten().tolist(),
}, open("upsample_pattern.json", "w"))
print("wrote upsample_pattern.json", list(out.shape))
