// Lighthouse's audits on the home page and the map, in French and in Ukrainian (Cyrillic): its
// accessibility, best practices and SEO categories score 100. Its performance score times the
// page on this shared machine, so it is not asserted here: the bench measures what it rests on,
// the bytes a visitor downloads and from where.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import lighthouse from 'lighthouse';
import { startStack } from './stack.js';

const CATEGORIES = ['accessibility', 'best-practices', 'seo'];
const PAGES = ['fr/', 'uk/', 'fr/map/', 'uk/map/'];

let stack;
let browser;
let port;

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
}

before(async () => {
  stack = await startStack();
  port = await freePort();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [`--remote-debugging-port=${port}`, '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

for (const path of PAGES) {
  test(`Lighthouse scores /${path} 100 for ${CATEGORIES.join(', ')}`, async () => {
    const result = await lighthouse(`${stack.base}/${path}`, {
      port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: CATEGORIES,
    });
    const { categories, audits } = result.lhr;
    const failing = Object.values(categories).flatMap((category) => category.auditRefs
      .filter((ref) => ref.weight > 0 && audits[ref.id].score !== null && audits[ref.id].score < 1)
      .map((ref) => `${category.id}: ${ref.id} (${audits[ref.id].title})`));
    assert.deepEqual(failing, []);
    for (const id of CATEGORIES) assert.equal(categories[id].score, 1, `${id} on /${path}`);
  });
}
