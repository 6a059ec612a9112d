// Starts the local stack (the people-first binary) on a free port over a fresh data folder,
// and a headless Chromium to drive it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

// A person takes at least this long over the form; the page's script reports the time and the
// server drops forms sent faster (1.5 s), as bots send them.
export const PERSON_MS = 1600;

// The local stack over `dataDir` (a fresh folder by default); `stop({ keepData: true })` leaves
// the folder for the next start, as staff commands need the stack stopped.
export async function startStack({ dataDir } = {}) {
  const binary = process.env.PEOPLE_FIRST_BIN;
  if (!binary) throw new Error('PEOPLE_FIRST_BIN is not set: run these tests with tests/run');
  const data = dataDir ?? mkdtempSync(join(tmpdir(), 'people-first-e2e-'));
  const child = spawn(binary, [], {
    env: { ...process.env, PORT: '0', PEOPLE_FIRST_DATA_DIR: data },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  // The line that says where it listens; a stack started on data it left may log the changes
  // it catches up on first.
  const base = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`people-first exited with ${code}`)));
    const listening = (line) => {
      const address = /running at (http:\/\/\S+)/.exec(line);
      if (!address) return;
      lines.off('line', listening);
      resolve(address[1].replace(/\/$/, ''));
    };
    lines.on('line', listening);
  });
  lines.on('line', () => {});
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    base,
    dataDir: data,
    async stop({ keepData = false } = {}) {
      child.kill();
      await exited;
      if (!keepData) rmSync(data, { recursive: true, force: true });
    },
  };
}

// The emails sent to `address` so far, once there is one: the mailer sends from the change feed,
// a moment after the request was answered. Waits five seconds at most.
export async function mailTo(base, address) {
  for (let i = 0; i < 100; i += 1) {
    const mail = (await (await fetch(`${base}/_dev/mail.json`)).json()).filter((m) => m.to === address);
    if (mail.length > 0) return mail;
    await new Promise((r) => setTimeout(r, 50));
  }
  return [];
}

// A staff command on the local stack's data (stopped first), named with --local as staff must;
// its output.
export function staff(dataDir, args) {
  return execFileSync(process.env.PEOPLE_FIRST_BIN, ['--local', ...args], {
    env: { ...process.env, PEOPLE_FIRST_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
}

export async function startBrowser() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    // This machine has no network beyond loopback: keep Chromium from reaching for it.
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
