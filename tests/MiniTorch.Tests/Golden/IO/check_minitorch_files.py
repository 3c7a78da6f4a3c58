#!/usr/bin/python3
"""Checks the files MiniTorch wrote (minitorch_*) from the Python side (run with /usr/bin/python3).

1. minitorch_state.safetensors loads with a few lines of numpy + json; names, dtypes, shapes,
   values and __metadata__ match the TinyNet of IOGolden.cs; the bytes equal what a writer that
   follows the reference implementation's rules produces for the same dict.
2. minitorch_*.npy load with np.load and are byte-identical to np.save of the same arrays.
3. minitorch_rgb.png reads with PIL to the expected pixels.
The output of the last run is recorded in README.md next to this script.
"""
import io, json, os, struct
import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def pattern(shape, seed, dtype):
    n = int(np.prod(shape, dtype=np.int64))
    return ((((7 * np.arange(n) + seed) % 13) - 6) / 16.0).astype(dtype).reshape(shape)


def load_safetensors(path):
    """The 'few lines of numpy': 8-byte little-endian header length, JSON header, raw data."""
    data = open(path, 'rb').read()
    n = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + n])
    meta = header.pop('__metadata__', None)
    kinds = {'F32': '<f4', 'F64': '<f8'}
    out = {k: np.frombuffer(data[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]], dtype=kinds[v['dtype']]).reshape(v['shape'])
           for k, v in header.items()}
    return out, meta, n


def reference_bytes(tensors, metadata):
    code = {np.dtype('float32'): ('F32', 4), np.dtype('float64'): ('F64', 8)}
    order = sorted(tensors, key=lambda k: (-code[tensors[k].dtype][1], k.encode()))
    header, offset = ({'__metadata__': metadata} if metadata is not None else {}), 0
    for k in order:
        header[k] = {'dtype': code[tensors[k].dtype][0], 'shape': list(tensors[k].shape), 'data_offsets': [offset, offset + tensors[k].nbytes]}
        offset += tensors[k].nbytes
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    return struct.pack('<Q', len(h)) + h + b''.join(tensors[k].astype(tensors[k].dtype.newbyteorder('<')).tobytes() for k in order)


ok = True


def check(name, cond):
    global ok
    ok &= bool(cond)
    print(('PASS ' if cond else 'FAIL ') + name)


expected = {
    'main.weight': pattern((4, 3, 2, 2), 1, np.float32),
    'main.bias': pattern((4,), 2, np.float32),
    'main.running_var': pattern((4,), 3, np.float64),
    'scale': pattern((), 5, np.float64),
    'empty': np.zeros((0, 3), np.float32),
}
path = os.path.join(HERE, 'minitorch_state.safetensors')
loaded, meta, n = load_safetensors(path)
check('safetensors: header length is a multiple of 8', n % 8 == 0)
check('safetensors: names ' + ', '.join(sorted(loaded)), sorted(loaded) == sorted(expected))
for k, v in expected.items():
    got = loaded[k]
    check(f'safetensors: {k} {got.dtype} {list(got.shape)} equals the pattern', got.dtype == v.dtype and got.shape == v.shape and np.array_equal(got, v))
check(f'safetensors: __metadata__ {meta}', meta == {'format': 'pt', 'written_by': 'MiniTorch'})
check('safetensors: bytes equal the reference-rule writer', open(path, 'rb').read() == reference_bytes(expected, meta))

for name, arr in [('minitorch_f64.npy', pattern((2, 3, 4), 4, np.float64)), ('minitorch_f32.npy', pattern((7,), 6, np.float32)),
                  ('minitorch_scalar.npy', pattern((), 8, np.float32))]:
    p = os.path.join(HERE, name)
    got = np.load(p)
    buf = io.BytesIO()
    np.save(buf, arr)
    check(f'npy: {name} loads as {got.dtype} {list(got.shape)} equal to the pattern', got.dtype == arr.dtype and got.shape == arr.shape and np.array_equal(got, arr))
    check(f'npy: {name} is byte-identical to np.save (numpy {np.__version__})', open(p, 'rb').read() == buf.getvalue())

img = np.asarray(Image.open(os.path.join(HERE, 'minitorch_rgb.png')))
ramp = np.arange(60).reshape(3, 4, 5) / 64.0
want = np.floor(np.clip(ramp.astype(np.float32) * np.float32(255) + np.float32(0.5), 0, 255)).astype(np.uint8).transpose(1, 2, 0)
check(f'png: minitorch_rgb.png reads with PIL as {img.dtype} {list(img.shape)} equal to the ramp', img.shape == (4, 5, 3) and np.array_equal(img, want))
print('ALL PASS' if ok else 'SOME FAILED')
