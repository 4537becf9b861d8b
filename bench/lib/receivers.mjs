// Child process: loopback receivers standing in for the webhook destinations. Every request is
// answered 200 at once; the event id is taken from the JSON body (`"id"`: the dispatcher's custom
// template sends the envelope, the relay and n8n forward the posted body) and the first arrival
// per (receiver, id) is kept with a monotonic timestamp shared by all processes on the machine
// (process.hrtime = CLOCK_MONOTONIC), so the parent can compute ingest → receiver latency.
//
// IPC: parent sends {cmd:'count'} → {counts:[…], duplicates, last}; {cmd:'reset'};
// {cmd:'dump'} → {arrivals:[[id, ms], …] per receiver}.
import http from 'node:http';

const count = Number(process.env.BENCH_RECEIVERS ?? 3);
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** @type {Array<Map<string, number>>} */
const seen = [];
let duplicates = 0;
let noId = 0;
let last = 0;
const ports = [];

function idOf(body) {
  const at = body.indexOf('"id":"');
  if (at >= 0) {
    const end = body.indexOf('"', at + 6);
    if (end > at) return body.slice(at + 6, end);
  }
  return null;
}

for (let r = 0; r < count; r++) {
  const arrivals = new Map();
  seen.push(arrivals);
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const t = nowMs();
      const id = idOf(body);
      if (id === null) noId++;
      else if (arrivals.has(id)) duplicates++;
      else arrivals.set(id, t);
      last = t;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
      res.end('ok');
    });
  });
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  ports.push(server.address().port);
}

process.on('message', (msg) => {
  if (msg.cmd === 'count') {
    process.send({ reply: 'count', counts: seen.map((m) => m.size), duplicates, noId, last });
  } else if (msg.cmd === 'reset') {
    for (const m of seen) m.clear();
    duplicates = 0;
    noId = 0;
    last = 0;
    process.send({ reply: 'reset' });
  } else if (msg.cmd === 'dump') {
    process.send({ reply: 'dump', arrivals: seen.map((m) => [...m]) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ reply: 'ready', ports });
