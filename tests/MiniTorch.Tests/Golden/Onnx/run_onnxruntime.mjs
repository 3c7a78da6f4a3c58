#!/usr/bin/env node
// Runs MiniTorch's committed ONNX files in ONNX Runtime (onnxruntime-node, CPU) and writes what it
// computed to onnxruntime.json, which the C# tests compare with MiniTorch's own outputs.
//
//   mkdir -p /tmp/ort && (cd /tmp/ort && npm install --ignore-scripts onnxruntime-node@1.30.0)
//   NODE_PATH=/tmp/ort/node_modules node run_onnxruntime.mjs [dir ...]
//
// --ignore-scripts skips the package's optional CUDA download; the CPU binaries ship in the package.
// Each <name>.onnx in each folder (default: this script's folder) is run on <name>_input.npy; the
// outputs go to <folder>/onnxruntime.json. For the models that also have PyTorch outputs
// (onnx.json, key "output") it prints max |ORT − PyTorch| and exits with 1 when a value differs by
// more than 1e-5 (absolute or relative).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const here = path.dirname(fileURLToPath(import.meta.url));

/** A little-endian float32 C-order .npy file: { shape, data }. */
function loadNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12);
  const header = buf.toString('latin1', start, start + headerLen);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header))
    throw new Error(`${file}: expected little-endian float32 in C order, got ${header.trim()}`);
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(',').map(s => s.trim()).filter(s => s).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = buf.readFloatLE(offset + 4 * i);
  return { shape, data };
}

let failed = false;
const dirs = process.argv.length > 2 ? process.argv.slice(2) : [here];
for (const dir of dirs) {
  const torchFile = path.join(dir, 'onnx.json');
  const torch = fs.existsSync(torchFile) ? JSON.parse(fs.readFileSync(torchFile, 'utf8')).models : {};
  const result = { onnxruntime: ort.env.versions.common, backend: 'onnxruntime-node, CPUExecutionProvider', models: {} };
  const names = fs.readdirSync(dir).filter(f => f.endsWith('.onnx')).map(f => f.slice(0, -5)).sort();
  for (const name of names) {
    const x = loadNpy(path.join(dir, `${name}_input.npy`));
    const session = await ort.InferenceSession.create(path.join(dir, `${name}.onnx`), { executionProviders: ['cpu'] });
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x.data, x.shape) });
    const y = out[session.outputNames[0]];
    const entry = { shape: y.dims.map(Number), data: Array.from(y.data, v => Number(v)) };
    let line = `${name.padEnd(16)} shape [${entry.shape}]`;
    const want = torch[name]?.output;
    if (want) {
      let maxDiff = 0, ok = JSON.stringify(want.shape) === JSON.stringify(entry.shape);
      want.data.forEach((w, i) => {
        const d = Math.abs(entry.data[i] - w);
        maxDiff = Math.max(maxDiff, d);
        if (!(d <= 1e-5 + 1e-5 * Math.abs(w))) ok = false;
      });
      entry.max_abs_diff_vs_torch = maxDiff;
      line += `  max |ORT - PyTorch| = ${maxDiff.toExponential(3)}  ${ok ? 'ok' : 'MISMATCH'}`;
      failed ||= !ok;
    }
    console.log(line);
    result.models[name] = entry;
  }
  fs.writeFileSync(path.join(dir, 'onnxruntime.json'), JSON.stringify(result, null, 1) + '\n');
}
process.exit(failed ? 1 : 0);
