// How many instances of an object a sample holds, by the COCO detector of judge.js (CenterNet,
// MobileNetV3, never seen by the synthesis): its detections output (up to 100 boxes: x1, y1, x2, y2
// in its 512 px input, score, class), kept at score >= 0.3 (override with --score).
//
//   node count.js [--score S] [--box x,y,w,h --frame W,H] LABEL FILE.png...
//
// LABEL is a COCO class name, or "auto": each file's reference's class from labels.json, by the
// name before the run number (chelsea-001-s0.png -> chelsea). Prints, per file, the number of
// instances of the class and their boxes; with --box (in a W x H frame), also whether exactly one
// instance overlaps the box with IoU >= 0.5. Ends with the share of files holding exactly one.
const tf = require('@tensorflow/tfjs');
const fs = require('fs');
const path = require('path');
const { PNG } = require('pngjs');
const { COCO, loadModel } = require('./coco');

/** Detections of one PNG: [x1, y1, x2, y2] in the file's pixels, score, COCO class name. */
function detect(model, file) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const rgb = new Float32Array(png.width * png.height * 3);
  for (let i = 0; i < png.width * png.height; i++) {
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = png.data[i * 4 + c];
  }
  const rows = tf.tidy(() => {
    const x = tf.image.resizeBilinear(tf.tensor4d(rgb, [1, png.height, png.width, 3]), [512, 512]);
    return model.execute(x, 'tower_0/detections').arraySync()[0];
  });
  return rows.map((r) => ({
    box: [r[0] * png.width / 512, r[1] * png.height / 512, r[2] * png.width / 512, r[3] * png.height / 512],
    score: r[4], name: COCO[Math.round(r[5])],
  }));
}

function iou(a, b) {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const area = (r) => (r[2] - r[0]) * (r[3] - r[1]);
  return inter / (area(a) + area(b) - inter);
}

async function main() {
  const args = process.argv.slice(2);
  let minScore = 0.3;
  let box = null;
  while (args[0] && args[0].startsWith('--')) {
    const flag = args.shift();
    if (flag === '--score') minScore = Number(args.shift());
    else if (flag === '--box') box = args.shift().split(',').map(Number);
    else if (flag === '--frame') args.shift(); // boxes are in the file's own pixels
    else throw new Error('unknown option ' + flag);
  }
  const [label, ...files] = args;
  if (!label || files.length === 0) {
    console.error('usage: node count.js [--score S] [--box x,y,w,h] LABEL|auto FILE.png...');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  const labels = JSON.parse(fs.readFileSync(path.join(__dirname, 'labels.json')));
  const model = await loadModel();
  let one = 0;
  let placed = 0;
  for (const file of files) {
    const name = label === 'auto' ? labels[path.basename(file).replace(/-\d{3}-s-?\d+\.png$/, '').replace(/\.png$/, '')] : label;
    const found = detect(model, file).filter((d) => d.score >= minScore && d.name === name);
    one += found.length === 1 ? 1 : 0;
    let line = `${path.basename(file)}\t${name}\t${found.length}\t` + found.map((d) => `${d.score.toFixed(2)}@${d.box.map((v) => Math.round(v)).join(',')}`).join(' ');
    if (box) {
      const target = [box[0], box[1], box[0] + box[2], box[1] + box[3]];
      const ok = found.length === 1 && iou(found[0].box, target) >= 0.5;
      placed += ok ? 1 : 0;
      line += `\tin_box=${ok}`;
    }
    console.log(line);
  }
  console.log(`exactly one: ${one} of ${files.length}` + (box ? `; exactly one overlapping the box (IoU >= 0.5): ${placed} of ${files.length}` : ''));
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
