// The browser tests' daemon: launcher.py (the integration harness) runs it
// against the test cluster; this module speaks launcher.py's line protocol.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function startDaemon() {
  const child = spawn('python3', [path.join(here, 'launcher.py')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next.resolve(JSON.parse(line));
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`launcher.py exited with ${code}`));
  });
  const answer = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));

  async function ask(cmd) {
    const got = answer();
    child.stdin.write(JSON.stringify(cmd) + '\n');
    const reply = await got;
    if (reply.error) throw new Error(`launcher.py: ${reply.error}`);
    return reply;
  }

  const ready = await answer();
  return {
    base: `http://127.0.0.1:${ready.port}`,
    kioskToken: ready.kiosk_token,
    vacancyId: ready.vacancy_id,
    person: async (overrides = {}) => (await ask({ op: 'person', overrides })).person,
    sql: async (query, ...params) => (await ask({ op: 'sql', query, params })).rows,
    match: async () => (await ask({ op: 'match' })).run,
    async stop() {
      child.stdin.end();
      return exited;
    },
  };
}
