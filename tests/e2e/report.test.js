// The staff report, made from a seeded local stack as staff make it, opened in Chromium: every
// chart is there with its reading, and opening it asks nothing of any network.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mailTo, staff, startBrowser, startStack } from './stack.js';

// Countries with five confirmed or more are shown apart, for the stack and the report alike.
process.env.PEOPLE_FIRST_SMALLEST_COUNTRY_SHOWN = '5';
const CHARTS = ['per-hour', 'per-day', 'by-language', 'by-source', 'by-provider', 'mail', 'mail-health', 'countries'];

let browser;
let dataDir;
let out;

async function sign(base, { email, country, locale, src }) {
  const signed = await fetch(`${base}/api/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Anna', email, country, locale, src }),
  });
  assert.equal(signed.status, 202);
  const [mail] = await mailTo(base, email);
  assert.ok(mail, `no email reached ${email}`);
  return /t=([^\s&]+)/.exec(mail.text)[1];
}

before(async () => {
  out = mkdtempSync(join(tmpdir(), 'people-first-report-'));
  const stack = await startStack();
  dataDir = stack.dataDir;
  // Six confirmed from Ukraine, two from Poland; one pending at Yandex.
  const signers = [
    ...['a', 'b', 'c', 'd', 'e', 'f'].map((n) => ({ email: `${n}@gmail.com`, country: 'UA', locale: 'uk', src: 'telegram' })),
    { email: 'g@outlook.com', country: 'PL', locale: 'en', src: '' },
    { email: 'h@proton.me', country: 'PL', locale: 'en', src: '' },
  ];
  for (const signer of signers) {
    const token = await sign(stack.base, signer);
    const confirmed = await fetch(`${stack.base}/api/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ t: token }),
    });
    assert.equal(confirmed.status, 200);
  }
  await sign(stack.base, { email: 'i@yandex.ru', country: 'RU', locale: 'ru', src: '' });
  await stack.stop({ keepData: true });
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

test('the report opens offline and shows every chart with its reading', async () => {
  const file = join(out, 'report.html');
  staff(dataDir, ['report', '-o', file]);
  const context = await browser.newContext({ offline: true });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href);
  assert.deepEqual(requests, [pathToFileURL(file).href], 'nothing but the file itself');
  const ids = await page.locator('figure.chart').evaluateAll((figures) => figures.map((f) => f.id));
  assert.deepEqual(ids, CHARTS);
  for (const id of CHARTS) {
    const figure = page.locator(`#${id}`);
    assert.ok((await figure.locator('.reading').textContent()).trim().length > 20, `${id} has its reading`);
    const box = await figure.locator('svg').boundingBox();
    assert.ok(box && box.width > 300 && box.height > 100, `${id} is drawn`);
  }
  assert.match(await page.locator('.totals').textContent(), /9\s+signed.*8\s+confirmed/s);
  assert.match(await page.locator('#by-provider').textContent(), /Gmail/);
  assert.match(await page.locator('#by-source').textContent(), /telegram/);
  const countries = await page.locator('#countries table').textContent();
  assert.match(countries, /Ukraine/);
  assert.doesNotMatch(countries, /Poland/, 'two is under the small-number rule');
  await context.close();
});

test('with --all, every country is shown apart, and the report says not to share it', async () => {
  const file = join(out, 'all.html');
  staff(dataDir, ['report', '--all', '-o', file]);
  const html = readFileSync(file, 'utf8');
  assert.match(html, /Poland/);
  assert.match(html, /do not share this report/);
  assert.doesNotMatch(html, /@/, 'no address in the report');
});
