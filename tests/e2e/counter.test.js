// A partner's page, served from another origin, shows the live count through embed.js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startBrowser, startStack } from './stack.js';

let stack;
let browser;
let partner;

function servePartnerPage(stackBase) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head>
<body style="--people-first-accent: rgb(200, 0, 0)">
<h1>A partner organisation</h1>
<div id="fr" data-people-first-count data-lang="fr" data-goal="10"></div>
<div id="uk" data-people-first-count data-lang="uk" data-goal="10"></div>
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

async function signAndConfirm(base) {
  const signed = await fetch(`${base}/api/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Anna', email: 'anna@example.org', country: 'PL', locale: 'en' }),
  });
  assert.equal(signed.status, 202);
  let token;
  for (let i = 0; i < 100 && !token; i += 1) {
    const mail = await (await fetch(`${base}/_dev/mail.json`)).json();
    token = mail[0] && /t=(\S+)/.exec(mail[0].text)[1];
    if (!token) await new Promise((r) => setTimeout(r, 50));
  }
  const confirmed = await fetch(`${base}/api/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ t: token }),
  });
  assert.equal(confirmed.status, 200);
  for (let i = 0; i < 100; i += 1) {
    const count = await (await fetch(`${base}/api/count`)).json();
    if (count.total === 1) return;
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
  assert.deepEqual(problems, []);
});

test('the embed page gives the snippet and shows the counter itself', async () => {
  const page = await browser.newPage();
  await page.goto(`${stack.base}/de/embed/`);
  const snippet = await page.locator('pre code').textContent();
  assert.match(snippet, new RegExp(`<script src="${stack.base}/embed.js" async></script>`));
  assert.match(snippet, /data-lang="de" data-goal="100000"/);
  await page.locator('[data-people-first-count] .count strong').waitFor();
  assert.match(await page.locator('[data-people-first-count] .goal').textContent(), /^Ziel: 100\.000$/);
});
