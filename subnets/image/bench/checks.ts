/**
 * Validator cost of the image checks. Run: `pnpm bench` (tsx, from the TypeScript sources).
 *
 * Per 512×512 image, by stage, as the median over a set of rendered tasks, each with the ratio
 * to plain `sharp` PNG decode of the same images measured in the same run (so the numbers
 * compare across machines); then a whole task (`checkImage` with OCR and SSIM); then images/s
 * for a round of 64 images through the worker pool with 1 and 2 threads.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import {
  analyseColour,
  analyseShapes,
  buildTaskSpec,
  checkImage,
  checkText,
  createCheckPool,
  createPaddleOcr,
  createTesseractOcr,
  type DecodedImage,
  decodeImage,
  dHash,
  type ImageTaskSpec,
  labelMap,
  pHash,
  renderProcedural,
  ssim,
  toGrey,
} from '../src/index.js';

const IMAGES = 16;
const ROUND = 64;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function perImage<T>(items: T[], fn: (item: T) => unknown, reps = 3): Promise<number> {
  for (const item of items.slice(0, 2)) await fn(item); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    for (const item of items) {
      const t0 = performance.now();
      await fn(item);
      samples.push(performance.now() - t0);
    }
  }
  return median(samples);
}

interface Task {
  seed: Uint8Array;
  spec: ImageTaskSpec;
  png: Uint8Array;
  image: DecodedImage;
}

async function makeTasks(n: number, offset: number): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; tasks.length < n; i++) {
    const seed = new Uint8Array(32);
    new DataView(seed.buffer).setUint32(0, offset + i);
    const drawn = buildTaskSpec(seed);
    // Every bench task is 512×512 and has text, so every stage runs.
    if (!drawn.text) continue;
    const spec: ImageTaskSpec = { ...drawn, width: 512, height: 512 };
    const png = await renderProcedural(spec, seed);
    const decoded = await decodeImage(png);
    if (!decoded.ok) throw new Error(decoded.failure.reason);
    tasks.push({ seed, spec, png, image: decoded.image });
  }
  return tasks;
}

const fmt = (ms: number) => `${ms.toFixed(2).padStart(8)} ms`;

async function main() {
  console.log(`image checks bench: ${IMAGES} tasks of 512×512, node ${process.version}`);
  const tasks = await makeTasks(IMAGES, 1);
  const paddle = createPaddleOcr();
  const hasTesseract = spawnSync('tesseract', ['--version']).status === 0;
  const tesseract = hasTesseract ? createTesseractOcr() : null;

  const baseline = await perImage(tasks, (t) => sharp(t.png).raw().toBuffer(), 5);
  const rows: [string, number][] = [];
  rows.push([
    'decode (safe: sniff, header, sharp)',
    await perImage(tasks, (t) => decodeImage(t.png), 5),
  ]);
  const maps = new Map(tasks.map((t) => [t, labelMap(t.image)]));
  rows.push([
    'colour (label map + palette analysis)',
    await perImage(tasks, (t) => analyseColour(t.image, labelMap(t.image), t.spec), 5),
  ]);
  rows.push([
    'shapes (components + classes)',
    await perImage(tasks, (t) => analyseShapes(maps.get(t)!, t.spec), 5),
  ]);
  rows.push([
    'hashes (grey + pHash + dHash)',
    await perImage(
      tasks,
      (t) => {
        const g = toGrey(t.image);
        return [pHash(g), dHash(g)];
      },
      5,
    ),
  ]);
  const greys = new Map(tasks.map((t) => [t, toGrey(t.image)]));
  rows.push([
    'reference (own render + decode)',
    await perImage(tasks, async (t) => decodeImage(await renderProcedural(t.spec, t.seed)), 3),
  ]);
  rows.push([
    'ssim (vs reference)',
    await perImage(tasks, (t) => ssim(greys.get(t)!, greys.get(t)!), 5),
  ]);
  const ocrPaddle = await perImage(tasks, (t) => checkText(t.image, t.spec, paddle), 3);
  rows.push(['ocr: PP-OCRv4 rec (crop + onnxruntime)', ocrPaddle]);
  if (tesseract) {
    rows.push([
      'ocr: tesseract 5 CLI (crop + process)',
      await perImage(tasks, (t) => checkText(t.image, t.spec, tesseract), 1),
    ]);
  }
  const noOcr = await perImage(
    tasks,
    (t) => checkImage(t.png, t.spec, { ocr: null, reference: { seed: t.seed } }),
    3,
  );
  const full = await perImage(
    tasks,
    (t) => checkImage(t.png, t.spec, { ocr: paddle, reference: { seed: t.seed } }),
    3,
  );
  rows.push(['task: checkImage, all but OCR (incl. SSIM)', noOcr]);
  rows.push(['task: checkImage, everything (PP-OCRv4)', full]);

  console.log(`\nper image (median)                              time        × sharp decode`);
  console.log(`${'baseline: sharp PNG decode to raw'.padEnd(44)}${fmt(baseline)}    1.00`);
  for (const [name, ms] of rows) {
    console.log(`${name.padEnd(44)}${fmt(ms)}  ${(ms / baseline).toFixed(2).padStart(6)}`);
  }
  const target = noOcr < 50 ? 'met' : 'MISSED';
  console.log(
    `\ntarget "all checks but OCR < 50 ms per image": ${target} (${noOcr.toFixed(1)} ms)`,
  );
  console.log(`OCR adds ${ocrPaddle.toFixed(1)} ms per image with PP-OCRv4 recognition`);
  await paddle.close();

  // Throughput: a round of 64 images through the pool.
  const round = await makeTasks(ROUND, 10_000);
  let sequential = 0;
  {
    const t0 = performance.now();
    const engine = createPaddleOcr();
    await checkImage(round[0]!.png, round[0]!.spec, { ocr: engine }); // load the model
    const t1 = performance.now();
    for (const t of round)
      await checkImage(t.png, t.spec, { ocr: engine, reference: { seed: t.seed } });
    sequential = ROUND / ((performance.now() - t1) / 1000);
    void t0;
    await engine.close();
  }
  console.log(
    `\nround of ${ROUND} images (checkImage with OCR and SSIM)      images/s   × in-process`,
  );
  console.log(
    `${'in-process, sequential'.padEnd(56)}${sequential.toFixed(1).padStart(8)}     1.00`,
  );
  for (const threads of [1, 2]) {
    const pool = createCheckPool({ threads });
    // Warm every worker (module load, onnxruntime session) before timing.
    await Promise.all(
      round.slice(0, threads * 2).map((t) => pool.check({ bytes: t.png, spec: t.spec })),
    );
    const t0 = performance.now();
    await Promise.all(
      round.map((t) => pool.check({ bytes: t.png, spec: t.spec, referenceSeed: t.seed })),
    );
    const rate = ROUND / ((performance.now() - t0) / 1000);
    console.log(
      `${`pool, ${threads} thread${threads > 1 ? 's' : ''}`.padEnd(56)}${rate.toFixed(1).padStart(8)}  ${(rate / sequential).toFixed(2).padStart(7)}`,
    );
    await pool.close();
  }
}

await main();
