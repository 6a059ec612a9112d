// A partner's page, served from another origin, shows the live count through embed.js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mailTo, startBrowser, startStack } from './stack.js';

let stack;
let browser;
let partner;

function servePartnerPage(stackBase) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head>
<body style="--people-first-accent: rgb(200, 0, 0)">
<h1>A partner organisation</h1>
<div id="fr" data-people-first-count data-lang="fr" data-goal="10"></div>
<div id="uk" data-people-first-count data-lang="uk" data-goal="10"></div>
<div id="mine" data-people-first-count data-lang="de" data-goal="100" data-source="s07"></div>
<script src="${stackBase}/embed.js" async></script>
</body></html>`;
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

// Signs as `email` through `src` (none when empty), confirms, and waits until the count is `total`.
async function signAndConfirm(base, { email = 'anna@example.org', src = '', total = 1 } = {}) {
  const signed = await fetch(`${base}/api/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Anna', email, country: 'PL', locale: 'en', src }),
  });
  assert.equal(signed.status, 202);
  const [mail] = await mailTo(base, email);
  assert.ok(mail, `no email reached ${email}`);
  const confirmed = await fetch(`${base}/api/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ t: /t=(\S+)/.exec(mail.text)[1] }),
  });
  assert.equal(confirmed.status, 200);
  for (let i = 0; i < 100; i += 1) {
    const count = await (await fetch(`${base}/api/count`)).json();
    if (count.total === total) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('the confirmation was never counted');
}

before(async () => {
  stack = await startStack();
  browser = await startBrowser();
  partner = await servePartnerPage(stack.base);
});

after(async () => {
  partner?.server.close();
  await browser?.close();
  await stack?.stop();
});

test('a partner page on another origin shows the count in its chosen languages', async () => {
  await signAndConfirm(stack.base);
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(partner.base);

  await page.locator('#fr .count strong').filter({ hasText: '1' }).waitFor();
  assert.equal(await page.locator('#fr .count').textContent(), '1 signature');
  assert.equal(await page.locator('#uk .count').textContent(), '1 підпис');
  assert.equal(await page.locator('#fr .goal').textContent(), 'Objectif\u00a0: 10');
  const bar = page.locator('#uk [role=progressbar]');
  assert.equal(await bar.getAttribute('aria-valuenow'), '1');
  assert.equal(await bar.getAttribute('aria-valuemax'), '10');
  assert.equal(await page.locator('#fr .fill').evaluate((fill) => fill.style.width), '10%');
  assert.equal(
    await page.locator('#fr .fill').evaluate((fill) => getComputedStyle(fill).backgroundColor),
    'rgb(200, 0, 0)',
    'the partner page styles it through custom properties',
  );
  assert.equal(await page.locator('#uk .quiet').textContent(), '1 підпис', 'screen readers hear it once');
  assert.equal(await page.locator('#mine .here').textContent(), '', 'a partner with none of its own shows none');
  assert.deepEqual(problems, []);
});

test("a partner's page shows its own signatures beside the total, once there are ten", async () => {
  for (let n = 1; n <= 10; n += 1) {
    await signAndConfirm(stack.base, { email: `through-s07-${n}@example.org`, src: 's07', total: 1 + n });
  }
  const page = await browser.newPage();
  await page.goto(partner.base);
  await page.locator('#mine .here').filter({ hasText: 'davon 10 hier' }).waitFor();
  assert.equal(await page.locator('#mine .count').textContent(), '11 Unterschriften');
  assert.equal(await page.locator('#fr .here').textContent(), '', 'a widget without a code shows the total alone');
});

test('the embed page gives the snippet and shows the counter itself', async () => {
  const page = await browser.newPage();
  await page.goto(`${stack.base}/de/embed/`);
  const snippet = await page.locator('pre code').first().textContent();
  assert.match(snippet, new RegExp(`<script src="${stack.base}/embed.js" async></script>`));
  assert.match(snippet, /data-lang="de" data-goal="100000"/);
  await page.locator('[data-people-first-count] .count strong').waitFor();
  assert.match(await page.locator('[data-people-first-count] .goal').textContent(), /^Ziel: 100\.000$/);
  const frame = await page.locator('pre code').nth(1).textContent();
  assert.match(frame, new RegExp(`<iframe src="${stack.base}/api/frame\\?partner=CODE&amp;lang=de"`));
});
