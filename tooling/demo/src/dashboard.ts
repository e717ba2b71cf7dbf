import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MarketView } from './view.js';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>subnetkit market</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin-top:1em}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.honest{color:#106b21}.adversarial{color:#a33}.bar{height:.7em;background:#4a8;display:inline-block}
.ok{color:#106b21}.fail{color:#a33}
</style></head><body>
<h1>subnetkit local market</h1>
<div id="head"></div><ul id="subnets"></ul><div id="outcome"></div>
<table><thead><tr><th>subnet</th><th>netuid</th><th>uid</th><th>neuron</th><th>kind</th><th>state</th><th>axon</th><th>wire</th>
<th>validator score</th><th>served</th><th>incentive (chain)</th><th></th></tr></thead><tbody id="rows"></tbody></table>
<script>
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'})[c]);
const verdict = (o) => o ? '<span class="' + (o.ok ? 'ok' : 'fail') + '">' + (o.ok ? 'PASS: ' : 'FAIL: ') + esc(o.reason) + '</span>' : '';
async function tick() {
  try {
    const v = await (await fetch('/api/view')).json();
    document.getElementById('head').textContent =
      'phase ' + v.phase + ' · block ' + (v.block ?? '-') + ' · tempo ' + v.tempo + ' · ' + v.message;
    document.getElementById('subnets').innerHTML = v.subnets.map((s) =>
      '<li>' + esc(s.subnet) + ' (netuid ' + s.netuid + '): ' +
      (s.warmBlock === null ? 'warm-up' : s.firstWeightsBlock === null ? 'waiting for weights' :
        'epochs since first weights ' + s.epochsDone + '/' + v.epochsTarget) + ' ' + verdict(s.outcome) + '</li>').join('');
    document.getElementById('outcome').innerHTML = verdict(v.outcome);
    document.getElementById('rows').innerHTML = v.neurons.map((n) => {
      const inc = n.incentive ?? 0;
      const kind = n.role === 'validator' ? 'validator' : n.honest ? 'honest' : 'adversarial';
      return '<tr class="' + kind + '"><td>' + esc(n.subnet) + '</td><td>' + n.netuid + '</td><td>' + (n.uid ?? '-') +
        '</td><td>' + esc(n.name) + '</td><td>' + kind +
        '</td><td>' + esc(n.state) + '</td><td>' + esc(n.ip + ':' + n.axonPort) + '</td><td>' + (n.role === 'miner' ? esc(n.wire) : '-') + '</td><td class="n">' +
        (n.score === null ? '-' : n.score.toFixed(3)) + '</td><td class="n">' + (n.served ?? '-') + '</td><td class="n">' +
        (n.incentive === null ? '-' : (inc * 100).toFixed(1) + '%') + '</td><td><span class="bar" style="width:' +
        Math.round(inc * 200) + 'px"></span></td></tr>';
    }).join('');
  } catch (e) { document.getElementById('head').textContent = 'market stopped (' + e + ')'; return; }
  setTimeout(tick, 1000);
}
tick();
</script></body></html>`;

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

const json = (v: unknown) =>
  JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

/** A page on 127.0.0.1 that shows the market's view, refreshed every second. */
export async function startDashboard(port: number, getView: () => MarketView): Promise<Dashboard> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (req.url === '/api/view') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(json(getView()));
      return;
    }
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
