#!/usr/bin/env node
// Times the speed issue's layers in ONNX Runtime on this machine, for docs/performance.md.
//
//   mkdir -p /tmp/ort && (cd /tmp/ort && npm install --ignore-scripts onnxruntime-node@1.30.0)
//   dotnet run -c Release --project tests/MiniTorch.Benchmarks -- export-onnx /tmp/ortbench
//   dotnet run -c Release --project examples/SuperResolution -- export --onnx /tmp/ortbench/fsrcnn.onnx
//   NODE_PATH=/tmp/ort/node_modules node tests/MiniTorch.Benchmarks/compare_onnxruntime.mjs /tmp/ortbench [threads]
//
// Best of several runs after a warm-up, CPU execution provider, intra-op threads = [threads] (2).
// FLOPs as in the MiniTorch rows: 2 per multiply-add of the definition, inserted zeros not counted.
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const dir = process.argv[2] ?? '/tmp/ortbench';
const threads = Number(process.argv[3] ?? 2);

const fsrcnnMacsPerPixel = 5 * 5 * 56 + 56 * 12 + 4 * 9 * 12 * 12 + 12 * 56 + 56 * 81;
const rows = [
  { file: 'conv3x3.onnx', name: 'Conv2d 3x3 64->64 forward, 8x64x64x64', shape: [8, 64, 64, 64], flops: 2 * 8 * 64 * 64 * 64 * 64 * 9, runs: 20 },
  { file: 'convt4x4.onnx', name: 'ConvTranspose2d 4x4 s2 64->32 forward, 8x64x32x32', shape: [8, 64, 32, 32], flops: 2 * 8 * 64 * 32 * 16 * 32 * 32, runs: 20 },
  { file: 'fsrcnn_last.onnx', name: 'FSRCNN last layer, 1x56x1080x1920', shape: [1, 56, 1080, 1920], flops: 2 * 56 * 81 * 1080 * 1920, runs: 5 },
  { file: 'fsrcnn.onnx', name: 'FSRCNN x2 whole network, 1x1x1080x1920', shape: [1, 1, 1080, 1920], flops: 2 * fsrcnnMacsPerPixel * 1080 * 1920, runs: 5 },
];

console.log(`ONNX Runtime ${ort.env.versions.common}, CPU, ${threads} intra-op threads`);
for (const row of rows) {
  const file = path.join(dir, row.file);
  if (!fs.existsSync(file)) { console.log(`${row.name}: ${file} missing, skipped`); continue; }
  const session = await ort.InferenceSession.create(file, {
    executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
  });
  const count = row.shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = Math.random() * 2 - 1;
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, row.shape) };
  await session.run(feeds);
  let best = Infinity;
  const times = [];
  for (let r = 0; r < row.runs; r++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    times.push(ms);
    best = Math.min(best, ms);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${row.name.padEnd(52)} best ${best.toFixed(1).padStart(8)} ms  median ${median.toFixed(1).padStart(8)} ms  ${(row.flops / best / 1e6).toFixed(1).padStart(7)} GFLOP/s (best)`);
  await session.release();
}
