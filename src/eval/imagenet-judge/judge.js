#!/usr/bin/env node
'use strict';
// An ImageNet judge of IMAGINE samples by a network of another architecture: EfficientNet-B0
// (classify.js) names the class of each sample, and we count how often that is the class the
// synthesis targeted (the sidecar's target_class, chosen by MobileNet V1). The synthesis never
// sees this network, so a hit is evidence in the picture, not in MobileNet's weights.
//
//   node judge.js DIR...
//
// DIR holds `synthesize` or `batch` outputs: every *.json sidecar there (or one folder down) with a
// target_class and its samples. Prints, per run and in all, how many samples have the target as
// EfficientNet's top-1 and within its top-5, and the same for the references themselves (the
// ceiling), and the samples' rates again over the runs whose reference it names as the target (there a
// miss is the samples', not MobileNet's misreading of the reference). Images are judged whole up to
// their centre square (no further centre crop): the samples, square, keep their borders, which are
// part of the output; a reference by its short side's centre square, as the engine reads it (without the mirror).
if (process.env.CROP_PADDING === undefined) process.env.CROP_PADDING = '0';
const fs = require('fs');
const path = require('path');
const { loadClassifier } = require('./classify.js');

function sidecars(dir) {
  const found = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      for (const f of fs.readdirSync(p)) if (f.endsWith('.json')) found.push(path.join(p, f));
    } else if (e.name.endsWith('.json')) {
      found.push(p);
    }
  }
  return found.sort();
}

async function main() {
  const dirs = process.argv.slice(2);
  if (!dirs.length) {
    console.error('usage: node judge.js DIR...');
    process.exit(2);
  }
  const classify = await loadClassifier();
  const total = { n: 0, top1: 0, top5: 0, refs: 0, ref1: 0, ref5: 0 };
  // Runs whose reference EfficientNet itself names as the target: there a miss is the samples' fault,
  // elsewhere MobileNet may have misnamed the reference (a butterfly photo read as an umbrella).
  const agreed = { runs: 0, n: 0, top1: 0, top5: 0 };
  console.log('run\ttarget\treference top-1\tsamples top-1\tsamples top-5');
  for (const dir of dirs) {
    for (const file of sidecars(dir)) {
      let car;
      try {
        car = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        continue;
      }
      if (!Array.isArray(car.samples) || !(car.target_class >= 0)) continue;
      const target = car.target_class;
      let ref = 'n/a';
      let refAgrees = false;
      if (car.reference && fs.existsSync(car.reference)) {
        try {
          const top = classify(car.reference);
          total.refs++;
          total.ref1 += top[0][0] === target ? 1 : 0;
          total.ref5 += top.some(([i]) => i === target) ? 1 : 0;
          ref = `${top[0][0]} (${top[0][1].toFixed(2)})`;
          refAgrees = top[0][0] === target;
        } catch (e) {
          ref = 'unreadable';
        }
      }
      let n = 0;
      let top1 = 0;
      let top5 = 0;
      for (const s of car.samples) {
        const p = path.join(path.dirname(file), s.file);
        if (!fs.existsSync(p)) continue;
        const top = classify(p);
        n++;
        top1 += top[0][0] === target ? 1 : 0;
        top5 += top.some(([i]) => i === target) ? 1 : 0;
      }
      total.n += n;
      total.top1 += top1;
      total.top5 += top5;
      if (refAgrees) {
        agreed.runs++;
        agreed.n += n;
        agreed.top1 += top1;
        agreed.top5 += top5;
      }
      console.log(`${path.relative(process.cwd(), file)}\t${target}\t${ref}\t${top1}/${n}\t${top5}/${n}`);
    }
  }
  const pct = (a, b) => (b ? (100 * a / b).toFixed(0) + '%' : 'n/a');
  console.log(`all\t\treferences ${total.ref1}/${total.refs} top-1 (${pct(total.ref1, total.refs)}), `
    + `${total.ref5}/${total.refs} top-5\tsamples ${total.top1}/${total.n} top-1 (${pct(total.top1, total.n)})`
    + `\t${total.top5}/${total.n} top-5 (${pct(total.top5, total.n)})`);
  console.log(`agreed\t\t${agreed.runs} runs whose reference it names as the target\tsamples ${agreed.top1}/${agreed.n} top-1 `
    + `(${pct(agreed.top1, agreed.n)})\t${agreed.top5}/${agreed.n} top-5 (${pct(agreed.top5, agreed.n)})`);
}

main().catch((e) => { console.error(String(e && e.stack || e)); process.exit(1); });
