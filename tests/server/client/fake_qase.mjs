// Starts the fake-qase test server (tests/server) for Node end-to-end tests.
//
//   import { startFakeQase } from '../../tests/server/client/fake_qase.mjs';
//   const server = await startFakeQase({ token: 't', faults: { upload: { error: { requests: [1] } } }, seed: 1 });
//   // point the reporter at server.url (QASE_TESTOPS_API_HOST), run, then:
//   const state = await server.state();
//   await server.stop();
//
// The binary is $FAKE_QASE_BIN or target/debug/fake-qase of this repository (built by
// scripts/setup.d/20-server.sh). The server exits by itself when this process ends.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The binary that `startFakeQase` runs unless told otherwise. */
export function defaultBinary() {
  return process.env.FAKE_QASE_BIN || path.resolve(here, '../../../target/debug/fake-qase');
}

/**
 * Starts a server on a free port and resolves once it listens.
 * `clients` ({name: token}) are more accepted tokens, named for client-scoped faults
 * (`faults.clients[name]`) and the request log.
 * @param {{token?: string, clients?: Record<string, string>, faults?: object|null, seed?: number,
 *   projects?: string[], binary?: string}} [options]
 * @returns {Promise<{url: string, token: string, pid: number, state(): Promise<object>,
 *   setFaults(faults: object): Promise<object>, createRun(project: string, run?: object, completed?: boolean): Promise<number>,
 *   addConfigurations(project: string, groups: {[group: string]: string[]}): Promise<object>,
 *   reset(): Promise<void>, stop(): Promise<number|null>}>}
 */
export async function startFakeQase({
  token = 'fake-qase-token',
  clients = {},
  faults = null,
  seed = 0,
  projects = [],
  binary = defaultBinary(),
} = {}) {
  const args = ['--port', '0', '--token', token, '--seed', String(seed), '--exit-on-stdin-close'];
  for (const project of projects) args.push('--project', project);
  for (const [name, clientToken] of Object.entries(clients)) args.push('--client', `${name}=${clientToken}`);
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    child.once('error', (error) => reject(new Error(`cannot start ${binary}: ${error.message}`)));
    exited.then((code) => reject(new Error(`fake-qase exited (code ${code}) before listening`)));
    lines.once('line', (line) => {
      lines.close();
      const match = /^fake-qase listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (match) resolve(match[1]);
      else reject(new Error(`unexpected first line from fake-qase: ${line}`));
    });
  });
  // A forgotten server must not keep this process alive; it exits when our stdin pipe closes.
  child.unref();
  child.stdin.unref?.();
  child.stdout.unref?.();

  const control = async (method, route, body) => {
    const response = await fetch(`${url}/__control/${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(`fake-qase ${method} /__control/${route}: ${answer.error ?? response.status}`);
    return answer;
  };

  const server = {
    url,
    token,
    pid: child.pid,
    state: () => control('GET', 'state'),
    setFaults: (config) => control('PUT', 'faults', config),
    createRun: async (project, run = { title: 'Run' }, completed = false) => (await control('POST', 'runs', { project, run, completed })).id,
    addConfigurations: async (project, groups) => (await control('POST', 'configurations', { project, groups })).groups,
    reset: async () => {
      await control('POST', 'reset');
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      try {
        await control('POST', 'stop');
      } catch {
        child.kill('SIGTERM');
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  if (faults) {
    try {
      await server.setFaults(faults);
    } catch (error) {
      await server.stop();
      throw error;
    }
  }
  return server;
}
