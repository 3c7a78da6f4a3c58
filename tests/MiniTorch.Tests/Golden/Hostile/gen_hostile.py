"""The hostile-file corpus: files every MiniTorch reader must refuse with InvalidDataException.

Run with /usr/bin/python3 (stdlib, plus PIL 9.4 for the valid images the image cases start from):

    /usr/bin/python3 tests/MiniTorch.Tests/Golden/Hostile/gen_hostile.py

It rewrites the folders png/, pgm/, npy/, safetensors/, idx/, image/, txt/ and manifest.json next to
this script. Each manifest entry names the file, the reader that must refuse it, the substring the
error must contain (the field at fault) and why the file is hostile. HostileCorpusTests runs every
entry: the reader must raise InvalidDataException naming the file, within 2 s of CPU time and
256 MiB of allocation. Special files (FIFOs, sockets, links to devices) cannot be committed; the
tests create them at run time (ReaderSafetyTests, HostileCorpusTests.SpecialFiles).

Bombs are kept small enough to commit (each under about 1.1 MB); they are as hostile as larger
ones because the readers refuse them from their headers or stop inflating at the declared size.
"""
import gzip
import io
import json
import os
import shutil
import struct
import zlib

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDERS = ['png', 'pgm', 'npy', 'safetensors', 'idx', 'image', 'txt']
for old in FOLDERS:
    shutil.rmtree(os.path.join(HERE, old), ignore_errors=True)
manifest = []


def put(reader, name, data, expect, why):
    folder = os.path.join(HERE, reader)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'wb') as f:
        f.write(data)
    manifest.append({'reader': reader, 'file': f'{reader}/{name}', 'expect': expect, 'why': why})


# ---------------------------------------------------------------- PNG
SIG = b'\x89PNG\r\n\x1a\n'


def chunk(t, d, crc=None):
    c = zlib.crc32(t + d) & 0xffffffff if crc is None else crc
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', c)


def ihdr(w, h, depth=8, ct=0, comp=0, filt=0, il=0):
    return chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, depth, ct, comp, filt, il))


def png(w, h, raw, depth=8, ct=0, il=0, extra=b'', level=6):
    return SIG + ihdr(w, h, depth, ct, il=il) + extra + chunk(b'IDAT', zlib.compress(raw, level)) + chunk(b'IEND', b'')


good = png(4, 3, bytes([0, 1, 2, 3, 4] * 3))
comp = zlib.compressobj(9)
bomb = comp.compress(bytes(16384 * 16385)) + comp.flush()  # 256 MiB of zero scanlines → ~260 KB
put('png', 'bomb_16384x16384.png', SIG + ihdr(16384, 16384) + chunk(b'IDAT', bomb) + chunk(b'IEND', b''),
    'more than the limit of 89478485', 'the issue\'s bomb: 260 KB that decodes to 16384² pixels')
put('png', 'dims_65535x65535.png', SIG + ihdr(65535, 65535, 16, 6) + chunk(b'IDAT', zlib.compress(b'\0')) + chunk(b'IEND', b''),
    'more than the limit', '4 G pixels of RGBA16 declared in 60 bytes')
put('png', 'dims_2pow31.png', SIG + ihdr(0x80000000, 1) + chunk(b'IEND', b''), 'invalid dimensions', 'width above 2^31 - 1')
put('png', 'dims_zero.png', SIG + ihdr(0, 5) + chunk(b'IEND', b''), 'invalid dimensions 0x5', 'zero width')
put('png', 'declared_9000x9000_1kb.png', SIG + ihdr(9000, 9000, 8, 2) + chunk(b'IDAT', zlib.compress(bytes(900))) + chunk(b'IEND', b''),
    'image data is truncated', 'within the pixel limit, but the data stops after 900 bytes: the buffer must grow only as data arrives')
bad = bytearray(good); bad[20] ^= 1
put('png', 'crc_ihdr.png', bytes(bad), "chunk 'IHDR' at byte 8 has CRC", 'IHDR altered, CRC kept')
bad = bytearray(good); bad[-20] ^= 0x10
put('png', 'crc_idat.png', bytes(bad), "chunk 'IDAT'", 'IDAT altered, CRC kept')
put('png', 'truncated_in_idat.png', good[:45], 'truncated', 'file cut inside a chunk')
put('png', 'chunk_length_4gb.png', SIG + ihdr(4, 3) + struct.pack('>I', 0xFFFFFFF0) + b'IDAT' + b'\0' * 16,
    "claims 4294967280 bytes", 'a chunk length near 2^32')
put('png', 'no_iend.png', good[:-12], 'IEND missing', 'ends after IDAT')
put('png', 'no_idat.png', SIG + ihdr(4, 3) + chunk(b'IEND', b''), 'no IDAT chunk', 'no image data at all')
put('png', 'idat_first.png', SIG + chunk(b'IDAT', zlib.compress(b'\0' * 15)) + ihdr(4, 3) + chunk(b'IEND', b''),
    "must start with an IHDR chunk, found 'IDAT'", 'chunks out of order')
put('png', 'two_ihdr.png', SIG + ihdr(4, 3) + ihdr(400, 300) + good[33:], 'more than one IHDR', 'a second header')
put('png', 'ihdr_length_12.png', SIG + chunk(b'IHDR', struct.pack('>IIBBBB', 4, 3, 8, 0, 0, 0)) + chunk(b'IEND', b''),
    'IHDR has length 12', 'short header chunk')
put('png', 'colour_type_5.png', SIG + ihdr(4, 3, 8, 5) + chunk(b'IEND', b''), 'invalid colour type 5', 'undefined colour type')
put('png', 'rgb_depth_4.png', SIG + ihdr(4, 3, 4, 2) + chunk(b'IEND', b''), 'colour type 2 with bit depth 4', 'RGB cannot have 4-bit samples')
put('png', 'compression_1.png', SIG + ihdr(4, 3, comp=1) + chunk(b'IEND', b''), 'compression method 1', 'only deflate exists')
put('png', 'filter_method_1.png', SIG + ihdr(4, 3, filt=1) + chunk(b'IEND', b''), 'filter method 1', 'only method 0 exists')
put('png', 'interlace_7.png', SIG + ihdr(4, 3, il=7) + chunk(b'IEND', b''), 'interlace method 7', 'undefined interlace method')
put('png', 'critical_chunk_ABCD.png', SIG + ihdr(4, 3) + chunk(b'ABCD', b'x') + good[33:], "unknown critical chunk 'ABCD'", 'an unknown chunk a decoder must not skip')
fdict = bytearray(b'\x78\x20'); fdict[1] += 31 - (0x78 * 256 + 0x20) % 31
put('png', 'zlib_preset_dictionary.png', SIG + ihdr(4, 3) + chunk(b'IDAT', bytes(fdict) + b'\0\0\0\1' + zlib.compress(b'\0' * 15)[2:]) + chunk(b'IEND', b''),
    'not valid zlib data', 'zlib stream asking for a preset dictionary (was a ZLibException)')
put('png', 'zlib_garbage.png', SIG + ihdr(4, 3) + chunk(b'IDAT', b'\x78\x9c\xff\xff\xff\xff\xff') + chunk(b'IEND', b''),
    'not valid zlib data', 'invalid deflate block')
put('png', 'zlib_bad_header.png', SIG + ihdr(4, 3) + chunk(b'IDAT', b'\x12\x34' + zlib.compress(b'\0' * 15)[2:]) + chunk(b'IEND', b''),
    'not valid zlib data', 'zlib header check bits wrong')
put('png', 'filter_type_9.png', png(4, 3, bytes([9, 1, 2, 3, 4] * 3)), 'unknown filter type 9', 'scanline filter byte out of range')
put('png', 'short_image_data.png', png(4, 3, bytes(10)), 'image data is truncated: 10 bytes decompressed, 15 expected', 'valid zlib, too few bytes')
put('png', 'adam7_short.png', png(2, 2, bytes(6), il=1), 'image data is truncated: 6 bytes decompressed, 7 expected',
    'interlaced 2x2 one byte short (this hangs ImageSharp 2.1\'s PNG decoder)')
put('png', 'palette_missing.png', png(2, 1, bytes([0, 0, 0]), ct=3), 'no PLTE chunk', 'palette image without a palette')
put('png', 'palette_length_7.png', png(2, 1, bytes([0, 0, 0]), ct=3, extra=chunk(b'PLTE', bytes(7))), 'invalid length 7', 'palette not a multiple of 3')
put('png', 'palette_length_771.png', png(2, 1, bytes([0, 0, 0]), ct=3, extra=chunk(b'PLTE', bytes(771))), 'invalid length 771', 'more than 256 entries')
put('png', 'palette_index_5.png', png(2, 1, bytes([0, 0, 5]), ct=3, extra=chunk(b'PLTE', bytes(6))), 'palette index 5', 'index beyond a 2-entry palette')
put('png', 'trns_longer_than_palette.png', png(2, 1, bytes([0, 0, 1]), ct=3, extra=chunk(b'PLTE', bytes(6)) + chunk(b'tRNS', bytes(3))),
    'tRNS has 3 entries but the palette only 2', 'transparency for entries that do not exist')
put('png', 'empty.png', b'', 'empty', 'empty file')
put('png', 'signature_only.png', SIG, 'truncated at byte 8', 'nothing after the signature')

# ---------------------------------------------------------------- PGM / PPM
put('pgm', 'dims_65536x65536.pgm', b'P5\n65536 65536\n255\n', 'more than the limit of 89478485', '4 G pixels declared in 20 bytes')
put('pgm', 'width_99999999999.pgm', b'P5\n99999999999 1\n255\n', 'width is too large', 'width beyond 32 bits')
put('pgm', 'maxval_0.pgm', b'P5\n1 1\n0\n\0', 'maxval 0 is out of range', 'division by zero')
put('pgm', 'maxval_70000.pgm', b'P5\n1 1\n70000\n\0\0', 'maxval 70000 is out of range', 'beyond 16 bits')
put('pgm', 'raster_truncated.pgm', b'P5\n100 100\n255\n' + bytes(50), 'raster is truncated', '10000 samples declared, 50 present')
put('pgm', 'raster_truncated_16bit.pgm', b'P5\n10 10\n1000\n' + bytes(150), 'raster is truncated', '16-bit samples need 200 bytes')
put('pgm', 'ascii_too_few.pgm', b'P2\n3 3\n255\n1 2 3\n', 'samples cannot fit', 'ASCII raster shorter than possible')
put('pgm', 'ascii_ends_early.pgm', b'P2\n2 2\n255\n1 2 3              ', 'ends before its sample', 'ASCII raster missing a sample')
put('pgm', 'sample_above_maxval.pgm', b'P2\n2 1\n15\n1 16\n', 'value 16 above maxval 15', 'sample out of range')
put('pgm', 'garbage_sample.pgm', b'P2\n2 1\n15\n1 x\n', 'sample expected at byte', 'non-digit sample')
put('pgm', 'negative_width.pgm', b'P5\n-4 4\n255\n' + bytes(16), 'width expected at byte 3', 'a minus sign')
put('pgm', 'no_whitespace_before_raster.pgm', b'P5\n1 1\n255', 'must end with a whitespace', 'header runs into end of file')
put('pgm', 'comment_to_eof.pgm', b'P5\n# only a comment', 'file ends before its width', 'header never ends')
put('pgm', 'magic_P7.pgm', b'P7\nWIDTH 1\n', 'expected the magic number P2 or P5', 'PAM is not PGM')
put('pgm', 'ppm_truncated.ppm', b'P6\n100 100\n255\n' + bytes(300), 'PPM raster is truncated', 'colour raster cut (read through ImageIO)')

# ---------------------------------------------------------------- npy
def npy(header, data=b'', major=1, minor=0, hlen=None):
    h = header.encode('latin1')
    h += b' ' * ((64 - (10 + len(h) + 1) % 64) % 64) + b'\n'
    n = len(h) if hlen is None else hlen
    lenfield = struct.pack('<H', n) if major == 1 else struct.pack('<I', n)
    return b'\x93NUMPY' + bytes([major, minor]) + lenfield + h + data


ok_header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
put('npy', 'bad_magic.npy', b'\x93NUMPZ\x01\x00' + bytes(100), 'magic string', 'not the NumPy magic')
put('npy', 'version_9_9.npy', npy(ok_header, bytes(24), 9, 9), 'unsupported .npy format version 9.9', 'unknown version')
put('npy', 'header_len_beyond_file.npy', npy(ok_header, bytes(24), hlen=60000), 'exceeds the', 'header length larger than the file')
put('npy', 'header_len_4gb.npy', npy(ok_header, bytes(24), 2, hlen=0xFFFFFFFF), 'exceeds the limit of 1048576', 'v2 header length near 2^32')
put('npy', 'header_not_dict.npy', npy("[1, 2, 3]", bytes(24)), "expected '{'", 'header is a list')
put('npy', 'descr_int64.npy', npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", bytes(24)), "dtype '<i8' is not supported", 'an integer array')
put('npy', 'descr_object.npy', npy("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }", bytes(24)), "dtype '|O' is not supported", 'pickled objects')
put('npy', 'structured.npy', npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }", bytes(12)), 'structured dtype', 'a record array')
put('npy', 'shape_2pow40.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", bytes(16)),
    'a dimension larger than MiniTorch supports', '4 TB declared in 80 bytes')
put('npy', 'numel_overflow.npy', npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 8), }", bytes(16)),
    f'more than {2**31 - 1} elements', 'the element count overflows 64 bits when multiplied naively')
put('npy', 'data_short.npy', npy(ok_header, bytes(20)), 'npy header promises shape (2, 3)', 'truncated data')
put('npy', 'data_long.npy', npy(ok_header, bytes(28)), 'the file holds 28 bytes of data', 'trailing bytes')
put('npy', 'v3_bad_utf8.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", bytes(24), 3)[:20] + b'\xff\xfe' + npy(ok_header, bytes(24), 3)[22:],
    'not valid UTF-8', 'v3 header with invalid UTF-8')
put('npy', 'escape_in_string.npy', npy("{'descr': '<f\\x34', 'fortran_order': False, 'shape': (2, 3), }", bytes(24)), 'escape sequences are not supported', 'an escape where numpy writes none')
put('npy', 'missing_shape.npy', npy("{'descr': '<f4', 'fortran_order': False, }", bytes(24)), "must name 'descr', 'fortran_order' and 'shape'", 'a key missing')
put('npy', 'repeated_key.npy', npy("{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", bytes(24)), "repeated key 'descr'", 'a key twice')
put('npy', 'dims_65.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (" + '1, ' * 65 + "), }", bytes(4)), 'more than 64 dimensions', 'too many axes')
put('npy', 'fortran_not_bool.npy', npy("{'descr': '<f4', 'fortran_order': 1, 'shape': (2, 3), }", bytes(24)), 'expected True or False', 'a number for a flag')
put('npy', 'trailing_text.npy', npy(ok_header + " junk", bytes(24)), 'trailing characters', 'text after the dictionary')
put('npy', 'tiny.npy', b'\x93NUMPY\x01', 'file too small', 'seven bytes')
put('npy', 'int_too_large.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }", bytes(4)), 'integer too large', 'beyond 64 bits')

# ---------------------------------------------------------------- safetensors
def st(header, data=b'', n=None):
    h = header.encode('utf-8') if isinstance(header, str) else header
    return struct.pack('<Q', len(h) if n is None else n) + h + data


ok_entry = '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}'
put('safetensors', 'header_len_2pow64.safetensors', st('{}', n=2**64 - 1), 'exceeds the limit of 100000000', 'length near 2^64')
put('safetensors', 'header_len_200mb.safetensors', st('{}', n=200_000_000), 'exceeds the limit of 100000000', 'above the reference limit')
put('safetensors', 'header_len_beyond_file.safetensors', st('{' + ok_entry + '}', bytes(8), n=5000), 'exceeds the', 'larger than the file')
put('safetensors', 'bad_utf8.safetensors', st(b'{"\xff\xfe":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}'), 'not valid UTF-8', 'invalid UTF-8 bytes')
put('safetensors', 'lone_surrogate_name.safetensors', st('{"\\ud800":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', bytes(8)),
    'lone UTF-16 surrogate', 'the issue\'s InvalidOperationException: an escaped lone surrogate in a name')
put('safetensors', 'lone_surrogate_metadata.safetensors', st('{"__metadata__":{"format":"\\udc00"},' + ok_entry + '}', bytes(8)),
    'lone UTF-16 surrogate', 'an escaped lone surrogate in a metadata value')
put('safetensors', 'not_json.safetensors', st('{"a":', bytes(8)), 'not valid JSON', 'cut JSON')
put('safetensors', 'json_array.safetensors', st('[1,2,3]'), 'must be a JSON object', 'a list, not an object')
put('safetensors', 'deep_nesting.safetensors', st('{"a":' + '[' * 5000 + ']' * 5000 + '}'), 'not valid JSON', '5000 nested arrays')
put('safetensors', 'unknown_dtype.safetensors', st('{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}', bytes(16)), "unknown dtype 'F128'", 'no such dtype')
put('safetensors', 'bf16.safetensors', st('{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}', bytes(4)), 'dtype BF16', 'a dtype MiniTorch does not load')
put('safetensors', 'negative_shape.safetensors', st('{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', bytes(8)), 'invalid shape entry -2', 'a negative size')
put('safetensors', 'shape_2pow40.safetensors', st('{"a":{"dtype":"F32","shape":[1099511627776],"data_offsets":[0,8]}}', bytes(8)),
    'larger than MiniTorch supports', '4 TB declared')
put('safetensors', 'numel_overflow.safetensors', st('{"a":{"dtype":"F64","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}}', bytes(8)),
    'more than 2147483647 elements', 'the element count overflows 64 bits when multiplied naively')
put('safetensors', 'offsets_reversed.safetensors', st('{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}', bytes(8)), 'end before they begin', 'end < begin')
put('safetensors', 'offsets_wrong_span.safetensors', st('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', bytes(8)), 'needs 12 bytes but its data_offsets', 'span ≠ shape')
put('safetensors', 'offsets_overlap.safetensors', st('{' + ok_entry + ',"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', bytes(12)), 'overlap', 'two tensors share bytes')
put('safetensors', 'offsets_gap.safetensors', st('{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', bytes(12)), 'leave a gap', 'unused bytes')
put('safetensors', 'offsets_beyond_data.safetensors', st('{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}', bytes(8)), 'reach beyond the 8 bytes', 'data missing')
put('safetensors', 'offset_2pow63.safetensors', st('{"a":{"dtype":"F32","shape":[0],"data_offsets":[9223372036854775807,9223372036854775807]}}'), 'leave a gap', 'offsets near 2^63')
put('safetensors', 'offset_float.safetensors', st('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8.5]}}', bytes(8)), 'invalid data offset 8.5', 'a fractional offset')
put('safetensors', 'data_uncovered.safetensors', st('{' + ok_entry + '}', bytes(12)), 'cover 8 bytes but the file holds 12', 'trailing data')
put('safetensors', 'duplicate_name.safetensors', st('{' + ok_entry + ',' + ok_entry + '}', bytes(8)), "names 'a' twice", 'a name twice')
put('safetensors', 'metadata_not_object.safetensors', st('{"__metadata__":[1],' + ok_entry + '}', bytes(8)), '__metadata__ must be an object', 'metadata list')
put('safetensors', 'metadata_value_number.safetensors', st('{"__metadata__":{"k":1},' + ok_entry + '}', bytes(8)), "value of 'k' must be a string", 'non-string metadata')
put('safetensors', 'entry_not_object.safetensors', st('{"a":5}'), "entry 'a' must be an object", 'a number for an entry')
put('safetensors', 'i64_beyond_2pow53.safetensors', st('{"n":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', struct.pack('<q', 2**60)),
    'which float64 cannot represent exactly', 'an integer float64 would round')
put('safetensors', 'seven_bytes.safetensors', b'\x08\0\0\0\0\0\0', 'file too small', 'no room for the length')

# ---------------------------------------------------------------- IDX (the DCGAN example's MNIST reader)
def idx_header(magic, *fields):
    return struct.pack('>i', magic) + b''.join(struct.pack('>i', f) for f in fields)


def gz(data, zeros=0):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode='wb', compresslevel=9, mtime=0) as g:
        g.write(data)
        block = bytes(1 << 20)
        left = zeros
        while left > 0:
            g.write(block[:min(left, len(block))])
            left -= len(block)
    return buf.getvalue()


put('idx', 'gzip_of_zeros_1gib-images.gz', gz(b'', 1 << 30), 'magic number 0x00000000, expected 0x00000803',
    'the issue\'s bomb: 1 GiB of zeros in ~1 MB, which must not be inflated before the magic is read')
put('idx', 'declares_5m_images-images.gz', gz(idx_header(0x803, 5_000_000, 28, 28) + bytes(2000)), 'more than the limit',
    'the issue\'s 2 KB gzip declaring millions of images: refused from the header')
put('idx', 'declares_500k_images-images.gz', gz(idx_header(0x803, 500_000, 28, 28) + bytes(2000)), 'the data ends after 2016',
    'within the budget, but the data stops early: the buffer must grow only as data arrives')
put('idx', 'count_times_1024_overflows-images', idx_header(0x803, 2**31 - 1, 32, 32) + bytes(1024), 'is truncated: the header promises 2147483647 images',
    'count × 1024 overflows 32 bits')
put('idx', 'negative_count-images', idx_header(0x803, -5, 28, 28), 'declares -5 images', 'a negative count')
put('idx', 'rows_1000-images', idx_header(0x803, 1, 1000, 1000) + bytes(100), 'declares 1000×1000 images', 'images larger than 32×32')
put('idx', 'rows_zero-images', idx_header(0x803, 1, 0, 28), 'declares 0×28 images', 'zero rows')
put('idx', 'not_gzip-images.gz', idx_header(0x803, 1, 28, 28) + bytes(784), 'not a valid gzip file', 'a raw file named .gz')
put('idx', 'gzip_cut-images.gz', gz(idx_header(0x803, 3, 28, 28) + bytes(range(256)) * 10)[:40], 'is truncated', 'gzip cut in the middle')
put('idx', 'short-images', b'\0\0\x08', 'too short', 'three bytes')
put('idx', 'labels_magic-labels', idx_header(0x803, 10) + bytes(10), 'magic number 0x00000803, expected 0x00000801', 'an image file given as labels')
put('idx', 'labels_fewer-labels', idx_header(0x801, 3) + bytes(3), 'has 3 labels (count field) but there are 10 images', 'too few labels')
put('idx', 'labels_truncated-labels', idx_header(0x801, 1000) + bytes(3), 'is truncated: the header promises 1000 labels', 'label data cut')

# ---------------------------------------------------------------- images decoded by ImageSharp
ramp = Image.new('RGB', (24, 16))
ramp.putdata([((x * 10) % 256, (y * 15) % 256, (x + y) % 256) for y in range(16) for x in range(24)])


def save(img, fmt, **kw):
    b = io.BytesIO()
    img.save(b, fmt, **kw)
    return b.getvalue()


jpg = save(ramp, 'JPEG', quality=90)
sof = jpg.index(b'\xff\xc0')


def jpeg_dims(w, h):
    b = bytearray(jpg)
    struct.pack_into('>HH', b, sof + 5, h, w)
    return bytes(b)


put('image', 'jpeg_65535x65535.jpg', jpeg_dims(65535, 65535), 'more than the limit of 89478485', '4 G pixels declared in a 1 KB JPEG')
put('image', 'jpeg_20000x20000.jpg', jpeg_dims(20000, 20000), 'more than the limit of 89478485', '400 M pixels')
put('image', 'jpeg_truncated.jpg', jpg[:sof + 40], 'malformed', 'cut after the frame header')
put('image', 'jpeg_soi_only.jpg', b'\xff\xd8', 'not an image', 'start-of-image marker alone')
put('image', 'jpeg_zero_width.jpg', jpeg_dims(0, 16), 'malformed', 'zero width in the frame header')
gif = save(ramp, 'GIF')
b = bytearray(gif); struct.pack_into('<HH', b, 6, 65535, 65535)
b[b.index(b'\x2c') + 5:b.index(b'\x2c') + 9] = struct.pack('<HH', 65535, 65535)
put('image', 'gif_65535x65535.gif', bytes(b), 'more than the limit', 'a 4 G-pixel logical screen')
put('image', 'gif_truncated.gif', gif[:30], 'malformed', 'cut in the colour table')
bmp = save(ramp, 'BMP')
b = bytearray(bmp); struct.pack_into('<ii', b, 18, 100000, 100000)
put('image', 'bmp_100000x100000.bmp', bytes(b), 'more than the limit', '10 G pixels')
b = bytearray(bmp); struct.pack_into('<ii', b, 18, 24, -0x7fffffff)
put('image', 'bmp_height_minus_2pow31.bmp', bytes(b), 'more than the limit', 'a top-down height near -2^31')
put('image', 'bmp_truncated.bmp', bmp[:70], 'BMP pixel data is truncated', 'pixel data missing (ImageSharp 2.1 fills it with zeros)')
tif = save(ramp, 'TIFF')
put('image', 'tiff_truncated.tiff', tif[:12], 'malformed', 'cut in the first directory')
b = bytearray(tif); ifd = struct.unpack_from('<I', b, 4)[0]; struct.pack_into('<I', b, 4, len(b) + 1000)
put('image', 'tiff_ifd_beyond_file.tiff', bytes(b), 'malformed', 'directory offset past the end')
webp = save(ramp, 'WEBP', lossless=True)
put('image', 'webp_truncated.webp', webp[:30], 'malformed', 'cut in the VP8L header')
b = bytearray(webp); struct.pack_into('<I', b, 4, 0x7ffffff0)
put('image', 'webp_riff_size_2gb.webp', bytes(b[:40]), 'malformed', 'RIFF size claims 2 GB, file is 40 bytes')
put('image', 'unknown_format.img', b'GARBAGE!' * 8, 'not an image in a format MiniTorch reads', 'no known signature')
put('image', 'empty.img', b'', 'the file is empty', 'an empty file')

# ---------------------------------------------------------------- text kernels (WeightFolders.LoadTxtKernels)
put('txt', 'huge_k0_0.txt', b'1 ' * 5000, 'larger than the limit', '10 KB of numbers where a 1-value kernel is expected: refused before reading')
put('txt', 'not_a_number_k0_0.txt', b'1.0\n0x1p3\n', "'0x1p3' is not a number", 'hexadecimal float')
put('txt', 'too_many_k0_0.txt', b'1 2 3\n', 'holds 3 values, expected 1', 'three values for one')

for folder in FOLDERS:
    assert os.path.isdir(os.path.join(HERE, folder))
with open(os.path.join(HERE, 'manifest.json'), 'w') as f:
    json.dump(manifest, f, indent=1, ensure_ascii=False)
total = sum(os.path.getsize(os.path.join(HERE, e['file'])) for e in manifest)
print(f'{len(manifest)} hostile files, {total} bytes')
