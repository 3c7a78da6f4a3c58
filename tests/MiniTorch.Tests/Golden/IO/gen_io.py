#!/usr/bin/python3
"""Makes the Python-side interop files MiniTorch's IO tests load (run with /usr/bin/python3).

The `safetensors` package is not installed here, so the .safetensors file is written with a few
lines of numpy + json following the format spec and the reference writer (sort by descending
dtype alignment then name, compact JSON, __metadata__ first, header padded with spaces to a
multiple of 8). .npy files come from numpy itself; PNG/PGM files from PIL or, where PIL cannot
write the variant (16-bit RGB, all five filter types, 16-bit PGM), from a hand-written encoder.
Expected values go to io.json. Everything is small (a few KB).
"""
import json, struct, zlib, os
import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
expected = {}


def p(name):
    return os.path.join(HERE, name)


# ---- safetensors with numpy + json ----------------------------------------------------------
def save_safetensors(tensors, path, metadata=None):
    code = {np.dtype('float32'): ('F32', 4), np.dtype('float64'): ('F64', 8)}
    order = sorted(tensors, key=lambda k: (-code[tensors[k].dtype][1], k.encode()))
    header, offset = {}, 0
    if metadata is not None:
        header['__metadata__'] = metadata
    for k in order:
        a = tensors[k]
        header[k] = {'dtype': code[a.dtype][0], 'shape': list(a.shape), 'data_offsets': [offset, offset + a.nbytes]}
        offset += a.nbytes
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h)
        for k in order:
            f.write(np.ascontiguousarray(tensors[k]).astype(tensors[k].dtype.newbyteorder('<')).tobytes())
    return order


state = {
    'conv.weight': torch.randn(4, 3, 2, 2),
    'conv.bias': torch.randn(4),
    'bn.running_var': torch.rand(4, dtype=torch.float64) + 0.5,
    'bn.num_batches_tracked': torch.tensor(7.0, dtype=torch.float64),  # 0-d
    'empty': torch.zeros(0, 3),
}
arrays = {k: v.numpy() for k, v in state.items()}
meta = {'format': 'pt', 'source': 'gen_io.py'}
order = save_safetensors(arrays, p('py_state.safetensors'), meta)
expected['py_state'] = {
    'order': order, 'metadata': meta,
    'tensors': {k: {'dtype': str(a.dtype), 'shape': list(a.shape), 'values': a.astype(np.float64).ravel().tolist()} for k, a in arrays.items()},
}

# ---- .npy from numpy --------------------------------------------------------------------------
a32 = torch.randn(2, 3, 4).numpy()
a64 = torch.randn(5, 2, dtype=torch.float64).numpy()
np.save(p('py_f32.npy'), a32)
np.save(p('py_f64.npy'), a64)
np.save(p('py_fortran.npy'), np.asfortranarray(a64.reshape(2, 5)))
np.save(p('py_scalar.npy'), np.array(3.25, dtype=np.float32))
np.save(p('py_empty.npy'), np.zeros((0, 3), dtype=np.float64))
with open(p('py_v2.npy'), 'wb') as f:
    np.lib.format.write_array(f, a32, version=(2, 0))
with open(p('py_v3.npy'), 'wb') as f:
    np.lib.format.write_array(f, a64, version=(3, 0))
np.save(p('py_int.npy'), np.arange(4, dtype=np.int32))  # must be rejected naming '<i4'
expected['npy'] = {
    'f32': {'shape': list(a32.shape), 'values': a32.astype(np.float64).ravel().tolist()},
    'f64': {'shape': list(a64.shape), 'values': a64.ravel().tolist()},
    'fortran': {'shape': [2, 5], 'values': a64.reshape(2, 5).ravel().tolist()},
}

# ---- PNG ----------------------------------------------------------------------------------------
rng = np.random.RandomState(1)
gray = rng.randint(0, 256, (5, 7), dtype=np.uint8)
rgb = rng.randint(0, 256, (4, 6, 3), dtype=np.uint8)
rgba = rng.randint(0, 256, (3, 5, 4), dtype=np.uint8)
la = rng.randint(0, 256, (3, 4, 2), dtype=np.uint8)
Image.fromarray(gray, 'L').save(p('py_gray.png'))
Image.fromarray(rgb, 'RGB').save(p('py_rgb.png'))
Image.fromarray(rgba, 'RGBA').save(p('py_rgba.png'))
Image.fromarray(la, 'LA').save(p('py_la.png'))
pal = Image.fromarray(rgb, 'RGB').quantize(colors=5)
pal.save(p('py_palette.png'))
pal_rgb = np.asarray(pal.convert('RGB'))
bits = Image.fromarray((gray > 127).astype(np.uint8) * 255, 'L').convert('1')
bits.save(p('py_1bit.png'))
gray16 = rng.randint(0, 65536, (3, 4)).astype(np.uint16)
Image.fromarray(gray16.astype(np.int32), 'I').convert('I;16').save(p('py_gray16.png'))


def write_png(path, raw, width, height, bit_depth, color_type, bpp, filters):
    """Hand-written encoder: row y uses filter filters[y % len(filters)]."""
    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)

    def paeth(a, b, c):
        pp = a + b - c
        pa, pb, pc = abs(pp - a), abs(pp - b), abs(pp - c)
        return a if pa <= pb and pa <= pc else b if pb <= pc else c

    rows, prior = [], bytes(len(raw[0]))
    for y, row in enumerate(raw):
        ft = filters[y % len(filters)]
        out = bytearray([ft])
        for i, x in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prior[i]
            c = prior[i - bpp] if i >= bpp else 0
            pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][ft]
            out.append((x - pred) & 0xff)
        rows.append(bytes(out))
        prior = row
    ihdr = struct.pack('>IIBBBBB', width, height, bit_depth, color_type, 0, 0, 0)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b''.join(rows)))
                + chunk(b'IEND', b''))


rgb16 = rng.randint(0, 65536, (5, 3, 3)).astype('>u2')
write_png(p('py_rgb16_filters.png'), [r.tobytes() for r in rgb16], 3, 5, 16, 2, 6, [0, 1, 2, 3, 4])
rgb8 = rng.randint(0, 256, (10, 4, 3)).astype(np.uint8)
write_png(p('py_rgb8_filters.png'), [r.tobytes() for r in rgb8], 4, 10, 8, 2, 3, [4, 3, 2, 1, 0])
expected['png'] = {
    'gray': {'max': 255, 'chw': gray[None].ravel().tolist(), 'shape': [1, 5, 7]},
    'rgb': {'max': 255, 'chw': rgb.transpose(2, 0, 1).ravel().tolist(), 'shape': [3, 4, 6]},
    'rgba': {'max': 255, 'chw': rgba.transpose(2, 0, 1).ravel().tolist(), 'shape': [4, 3, 5]},
    'la': {'max': 255, 'chw': la.transpose(2, 0, 1).ravel().tolist(), 'shape': [2, 3, 4]},
    'palette': {'max': 255, 'chw': pal_rgb.transpose(2, 0, 1).ravel().tolist(), 'shape': [3, 4, 6]},
    '1bit': {'max': 1, 'chw': (np.asarray(bits) > 0).astype(int)[None].ravel().tolist(), 'shape': [1, 5, 7]},
    'gray16': {'max': 65535, 'chw': gray16[None].ravel().tolist(), 'shape': [1, 3, 4]},
    'rgb16_filters': {'max': 65535, 'chw': rgb16.astype(np.int64).transpose(2, 0, 1).ravel().tolist(), 'shape': [3, 5, 3]},
    'rgb8_filters': {'max': 255, 'chw': rgb8.transpose(2, 0, 1).ravel().tolist(), 'shape': [3, 10, 4]},
}

# ---- PGM ----------------------------------------------------------------------------------------
Image.fromarray(gray, 'L').save(p('py_gray.pgm'))  # PIL writes P5, maxval 255
pgm16 = rng.randint(0, 1001, (2, 3)).astype('>u2')
with open(p('py_gray16.pgm'), 'wb') as f:
    f.write(b'P5\n# sixteen-bit, maxval 1000\n3 2\n1000\n' + pgm16.tobytes())
with open(p('py_ascii.pgm'), 'w') as f:
    f.write('P2\n# ascii\n3 2\n15\n0 1 2\n13 14 15\n')
expected['pgm'] = {
    'gray': {'max': 255, 'chw': gray.ravel().tolist(), 'shape': [1, 5, 7]},
    'gray16': {'max': 1000, 'chw': pgm16.astype(int).ravel().tolist(), 'shape': [1, 2, 3]},
    'ascii': {'max': 15, 'chw': [0, 1, 2, 13, 14, 15], 'shape': [1, 2, 3]},
}


# ---- make_grid + save_image, transcribed from torchvision.utils (not installed here) -------------
def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, pad_value=0.0):
    if tensor.dim() == 4 and tensor.size(1) == 1:
        tensor = torch.cat((tensor, tensor, tensor), 1)
    if normalize:
        tensor = tensor.clone()
        def norm_ip(img, low, high):
            img.clamp_(min=low, max=high)
            img.sub_(low).div_(max(high - low, 1e-5))
        if value_range is not None:
            norm_ip(tensor, value_range[0], value_range[1])
        else:
            norm_ip(tensor, float(tensor.min()), float(tensor.max()))
    if tensor.size(0) == 1:
        return tensor.squeeze(0)
    nmaps = tensor.size(0)
    xmaps = min(nrow, nmaps)
    ymaps = int(np.ceil(float(nmaps) / xmaps))
    height, width = int(tensor.size(2) + padding), int(tensor.size(3) + padding)
    grid = tensor.new_full((tensor.size(1), height * ymaps + padding, width * xmaps + padding), pad_value)
    k = 0
    for y in range(ymaps):
        for x in range(xmaps):
            if k >= nmaps:
                break
            grid.narrow(1, y * height + padding, height - padding).narrow(2, x * width + padding, width - padding).copy_(tensor[k])
            k += 1
    return grid


def to_uint8(grid):
    return grid.mul(255).add_(0.5).clamp_(0, 255).to(torch.uint8)


cases = []
for name, shape, kw in [
    ('rgb_plain', (5, 3, 4, 3), dict(nrow=2, padding=1)),
    ('rgb_norm', (3, 3, 3, 4), dict(nrow=8, padding=2, normalize=True)),
    ('gray_range', (4, 1, 3, 3), dict(nrow=3, padding=2, normalize=True, value_range=(-1.0, 1.0), pad_value=0.5)),
    ('single', (1, 3, 2, 3), dict(nrow=8, padding=2)),
]:
    x = torch.rand(*shape) * 1.4 - 0.2 if not kw.get('normalize') else torch.randn(*shape)
    g = to_uint8(make_grid(x, **kw))
    if shape[1] == 1:
        g = g[:1]
    kw = dict(kw)
    if 'value_range' in kw:
        kw['value_range'] = list(kw['value_range'])
    cases.append({'name': name, 'shape': list(shape), 'input': x.ravel().tolist(), 'kwargs': kw,
                  'grid_shape': list(g.shape), 'grid': g.ravel().tolist()})
expected['grid'] = cases

with open(p('io.json'), 'w') as f:
    json.dump(expected, f)
print('wrote', sorted(os.listdir(HERE)))
