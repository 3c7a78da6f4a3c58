"""Image files for the readers' tests, with what PIL (libpng, libjpeg-turbo, libtiff, libwebp) decodes from them.

Run with /usr/bin/python3 (numpy 1.24, PIL 9.4): writes img_* files and images.json next to this script.

- Adam7-interlaced PNGs, written by hand (PIL cannot write them) for sizes that leave passes empty
  (1x1, 2x2, 3x3, 9x1, 1x9) and larger ones, in gray 8-bit, RGB 16-bit and 2-bit palette. PIL must read
  each back to the intended pixels, which are recorded.
- Lossless GIF, BMP, TIFF, WebP and PPM files written by PIL: the decoded pixels are recorded (exact).
- JPEGs written by PIL (RGB 4:4:4 quality 95, RGB 4:2:0 quality 75, grayscale): PIL's decoded pixels
  are recorded; decoders differ slightly (IDCT rounding, chroma upsampling), so the tests allow a
  bound measured and explained there.
"""
import io
import json
import os
import struct
import zlib

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(7)
expected = {}


def p(name):
    return os.path.join(HERE, name)


def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def pack_row(samples, depth):
    """Samples of one row (flat, channel-interleaved) as PNG bytes."""
    if depth == 8:
        return bytes(int(v) for v in samples)
    if depth == 16:
        return b''.join(struct.pack('>H', int(v)) for v in samples)
    out, acc, bits = bytearray(), 0, 0
    for v in samples:
        acc = (acc << depth) | int(v)
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def write_adam7(path, pixels, depth, color_type, palette=None):
    """pixels: [H, W, C] integers. Every pass row gets filter type (row index mod 5), so all five are exercised."""
    h, w, c = pixels.shape
    bpp = max(1, c * depth // 8)
    raw = bytearray()
    for x0, y0, dx, dy in ADAM7:
        sub = pixels[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue  # an empty pass has no scanlines, not even filter bytes
        prior = None
        for r in range(sub.shape[0]):
            row = pack_row(sub[r].reshape(-1), depth)
            prior = prior or bytes(len(row))
            ft = r % 5
            out = bytearray([ft])
            for i, x in enumerate(row):
                a = row[i - bpp] if i >= bpp else 0
                b = prior[i]
                cc = prior[i - bpp] if i >= bpp else 0
                pp = a + b - cc
                pa, pb, pc = abs(pp - a), abs(pp - b), abs(pp - cc)
                paeth = a if pa <= pb and pa <= pc else b if pb <= pc else cc
                out.append((x - [0, a, b, (a + b) // 2, paeth][ft]) & 0xff)
            raw += out
            prior = row
    ihdr = struct.pack('>IIBBBBB', w, h, depth, color_type, 0, 0, 1)
    extra = chunk(b'PLTE', bytes(palette)) if palette is not None else b''
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + extra + chunk(b'IDAT', zlib.compress(bytes(raw))) + chunk(b'IEND', b''))


def chw(a):
    """[H, W, C] → flat C-order [C, H, W] list."""
    return np.transpose(a, (2, 0, 1)).reshape(-1).tolist()


adam7 = {}
palette = [10, 20, 30, 200, 100, 50, 0, 255, 128, 255, 255, 255]
for (w, h) in [(1, 1), (2, 2), (3, 3), (9, 1), (1, 9), (5, 6), (16, 13)]:
    for kind, depth, ct, c, top in [('gray8', 8, 0, 1, 255), ('rgb16', 16, 2, 3, 65535), ('pal2', 2, 3, 1, 3)]:
        px = rng.randint(0, top + 1, (h, w, c))
        name = f'img_adam7_{kind}_{w}x{h}.png'
        write_adam7(p(name), px, depth, ct, palette if ct == 3 else None)
        im = Image.open(p(name))
        got = np.array(im)
        if ct == 3:
            want = np.array(palette).reshape(4, 3)[px[:, :, 0]]
            assert np.array_equal(np.array(im.convert('RGB')), want), name
            adam7[name] = {'shape': [3, h, w], 'max': 255, 'chw': chw(want)}
        else:
            # PIL reads 16-bit RGB as 8-bit RGB (the high bytes): check those.
            assert np.array_equal(got.reshape(h, w, c), px >> 8 if depth == 16 else px), name
            adam7[name] = {'shape': [c, h, w], 'max': top, 'chw': chw(px)}
expected['adam7'] = adam7

# A smooth picture with some texture, 40x24: the lossless formats must round-trip it exactly.
yy, xx = np.mgrid[0:24, 0:40]
photo = np.stack([(xx * 6) % 256, (yy * 10 + xx) % 256, ((xx - yy) * 5) % 256], axis=2).astype(np.uint8)
photo[::5, ::7] = rng.randint(0, 256, photo[::5, ::7].shape)
lossless = {}
for name, kwargs in [('img_rgb.bmp', {}), ('img_rgb.tiff', {}), ('img_rgb_lzw.tiff', {'compression': 'tiff_lzw'}),
                     ('img_rgb.webp', {'lossless': True}), ('img_rgb.ppm', {}), ('img_rgb.tga', {})]:
    Image.fromarray(photo, 'RGB').save(p(name), **kwargs)
    got = np.array(Image.open(p(name)).convert('RGB'))
    assert np.array_equal(got, photo), name
    lossless[name] = {'shape': [3, 24, 40], 'max': 255, 'chw': chw(photo)}
# GIF is palette-based: record what PIL decodes (the quantised colours), as RGB.
Image.fromarray(photo, 'RGB').quantize(64).save(p('img_rgb.gif'))
gif = np.array(Image.open(p('img_rgb.gif')).convert('RGB'))
lossless['img_rgb.gif'] = {'shape': [3, 24, 40], 'max': 255, 'chw': chw(gif)}
# A 16-bit PPM with maxval 1000: samples are v / 1000 exactly.
ppm16 = rng.randint(0, 1001, (3, 5, 3))
with open(p('img_rgb16.ppm'), 'wb') as f:
    f.write(b'P6\n5 3\n1000\n' + ppm16.astype('>u2').tobytes())
lossless['img_rgb16.ppm'] = {'shape': [3, 3, 5], 'max': 1000, 'chw': chw(ppm16)}
expected['lossless'] = lossless

jpeg = {}
for name, mode, kwargs in [('img_444_q95.jpg', 'RGB', {'quality': 95, 'subsampling': 0}),
                           ('img_420_q75.jpg', 'RGB', {'quality': 75}),
                           ('img_gray_q90.jpg', 'L', {'quality': 90})]:
    src = photo if mode == 'RGB' else photo[:, :, 1]
    Image.fromarray(src, mode).save(p(name), **kwargs)
    got = np.array(Image.open(p(name)))
    got = got if got.ndim == 3 else got[:, :, None]
    jpeg[name] = {'shape': [got.shape[2], 24, 40], 'max': 255, 'chw': chw(got)}
expected['jpeg'] = jpeg

with open(p('images.json'), 'w') as f:
    json.dump(expected, f, separators=(',', ':'))
print('wrote', len(adam7) + len(lossless) + len(jpeg), 'images')
