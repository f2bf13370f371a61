// A tiny static file server for dist/ (tests use it; `node scripts/serve.mjs [dir] [port]`
// serves the preview by hand). Records every request path, so tests can prove what was asked.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.ts': 'text/plain; charset=utf-8', '.png': 'image/png',
};

/** Serves `dir` on 127.0.0.1 (`port` 0 = any free port). Resolves to {url, requests, close}. */
export function serve(dir, port = 0) {
  const root = resolve(dir);
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok({
    url: `http://127.0.0.1:${server.address().port}/`,
    requests,
    close: () => new Promise((done) => server.close(done)),
  })));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const here = fileURLToPath(new URL('..', import.meta.url));
  const { url } = await serve(process.argv[2] ?? join(here, 'dist'), Number(process.argv[3] ?? 8080));
  console.log(`preview at ${url}`);
}
