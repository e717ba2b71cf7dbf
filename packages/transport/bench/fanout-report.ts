// Section 3 of the transport bench: the dendrite fan-out against its anchors measured in the
// same run — the slowest handler, the CPU the machine has, and an aiohttp client doing the same
// fan-out — printed as report lines and `TARGET` lines (issue 18). Run alone:
// `tsx --conditions=@subnetkit/source bench/fanout-report.ts [slowestMs]`.
import { availableParallelism, loadavg } from 'node:os';
import { type FanoutResult, fanout } from './fanout.js';
import { fmt, report } from './harness.js';

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function target(id: string, ratio: number, goal: number, description: string): void {
  console.log(
    `TARGET ${id} ${ratio.toFixed(2)} <=${goal.toFixed(2)} ${ratio <= goal ? 'met' : 'missed'} ${description}`,
  );
}

export async function fanoutSection(slowestMs = 50): Promise<FanoutResult> {
  const cores = availableParallelism();
  console.log(
    `\n## dendrite fan-out (256 axons in 2 processes, verifyWorkers 0; handlers ${slowestMs / 2}–${slowestMs} ms;` +
      ` 3 blocks of 5 fan-outs, aiohttp interleaved; load average ${load()})`,
  );
  const f = await fanout({ slowestMs });
  const calls = f.count;
  report(`slowest single axon (handler ${slowestMs} ms)`, `${fmt(f.singleMs, 1)} ms`);
  report(
    `query ${calls} axons (median)`,
    `${fmt(f.fanMs, 1)} ms${f.failures ? `  (failed results: ${JSON.stringify(f.failureCodes)})` : ''}`,
  );
  report('  dendrite CPU per call (this process, all threads)', `${fmt(f.cpuUsPerCall)} µs`);
  report('  of it, sr25519 sign + verify (tight loop, median)', `${fmt(f.cryptoUsPerCall)} µs`);
  const ours = Math.max(0, f.cpuUsPerCall - f.cryptoUsPerCall);
  report('  dendrite CPU per call besides sr25519', `${fmt(ours)} µs`);
  const axonMs = f.axonCpuMs;
  if (axonMs !== undefined) {
    report(
      '  axon processes CPU per fan-out',
      `${fmt(axonMs)} ms (${fmt((axonMs * 1000) / calls)} µs/call)`,
    );
  }
  const py = 'skipped' in f.aiohttp ? undefined : f.aiohttp;
  if (py) {
    report(
      `aiohttp ${calls} POSTs, TCPConnector(limit=0) (median)`,
      `${fmt(py.fanMs, 1)} ms, ${fmt(py.cpuUsPerCall)} µs CPU/call${py.failures ? `  (${py.failures} failed)` : ''}`,
    );
    console.log(
      '    aiohttp sends headers and bodies our code pre-signed (Python has no sr25519), reads\n' +
        '    and json.loads each reply; it neither signs nor checks the axon countersignature.',
    );
  } else {
    console.log(`  (aiohttp baseline skipped: ${(f.aiohttp as { skipped: string }).skipped})`);
  }

  // No schedule ends a fan-out before its slowest handler, nor before the CPU work of both
  // sides (measured here) is spread over every core.
  const workMs = (f.cpuUsPerCall * calls) / 1000 + (axonMs ?? 0);
  const bound = Math.max(slowestMs, workMs / cores) / slowestMs;
  console.log(
    `  bound from the CPU one fan-out used here (both sides) / ${cores} cores: ${fmt(bound, 2)} × the handler` +
      `${bound > 1.5 ? ' — the 1.50 target is out of reach on this machine with this much crypto' : ''}`,
  );
  target(
    'fanout',
    f.fanMs / slowestMs,
    1.5,
    `fan-out to ${calls} axons ${fmt(f.fanMs, 1)} ms vs slowest handler ${slowestMs} ms (CPU bound here ${fmt(bound, 2)}×; load ${load()})`,
  );
  if (py) {
    target(
      'dendrite-cpu',
      ours / py.cpuUsPerCall,
      1,
      `dendrite ${fmt(f.cpuUsPerCall)} µs CPU/call less its sr25519 ${fmt(f.cryptoUsPerCall)} µs (sign + verify, tight loop, same rounds) = ${fmt(ours)} µs vs aiohttp ${fmt(py.cpuUsPerCall)} µs CPU/call (pre-signed, no crypto); with sr25519 ${fmt(f.cpuUsPerCall / py.cpuUsPerCall, 2)}×; load ${load()}`,
    );
  } else {
    console.log('  (TARGET dendrite-cpu not measured: no aiohttp)');
  }
  return f;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await fanoutSection(Number(process.argv[2] ?? 50));
  process.exit(0);
}
