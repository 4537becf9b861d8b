// Child process: the bare relay, the limit the dispatcher is measured against. node:http in,
// undici out, nothing else: no storage, no validation, no signing, no retries. It reads the posted
// body, answers 202, and forwards the same bytes to every target with the same undici settings
// as the dispatcher's HTTP client (keep-alive pool per origin, 16 connections, HTTP/1.1).
//
// env: PORT, RELAY_TARGETS (comma list of URLs). Prints "listening <port>" when ready.
import http from 'node:http';
import { Agent } from 'undici';

const targets = (process.env.RELAY_TARGETS ?? '').split(',').filter(Boolean).map((u) => new URL(u));
const agent = new Agent({ connections: 16, pipelining: 1, allowH2: false, keepAliveTimeout: 10_000 });
let failures = 0;

async function forward(target, body) {
  try {
    const res = await agent.request({
      origin: target.origin,
      path: target.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode > 299) failures++;
  } catch {
    failures++;
  }
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end('{"accepted":true}');
    for (const target of targets) void forward(target, body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => {
  if (failures > 0) console.error(`relay: ${failures} forwards failed`);
  server.close();
  server.closeAllConnections();
  void agent.close().then(() => process.exit(0));
});
