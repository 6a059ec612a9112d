// The sign form on a partner's page, served from another origin: framed from our origin, so the
// partner's scripts never read what a signer types; signing in it with and without JavaScript;
// refused by a site staff did not list.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { PERSON_MS, mailTo, staff, startBrowser, startStack } from './stack.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LANGUAGES = readFileSync(new URL('../../locales/languages', import.meta.url), 'utf8')
  .split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));

let stack;
let browser;
let partner;
let stranger;

// A site of our own on a port of its own: another origin than the stack's. Its page is what a
// partner pastes from the embed page, as `page()` gives it when asked.
function serveSite(page) {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

let snippet = '';
const partnerPage = () => `<!doctype html><html lang="uk"><head><meta charset="utf-8"><title>Partner</title></head>
<body><h1>A partner organisation</h1>
${snippet}
<script>
  // What a partner's analytics would try: every input of the page, and the frame's.
  window.readAttempts = [];
  window.loads = 0;
  document.querySelector('iframe').addEventListener('load', () => { window.loads += 1; });
  window.tryToRead = () => {
    const frame = document.querySelector('iframe');
    try { window.readAttempts.push(frame.contentDocument === null ? 'no document' : frame.contentDocument.querySelector('input[name=email]').value); }
    catch (e) { window.readAttempts.push('refused'); }
    try { window.readAttempts.push(String(window.frames[0].document.querySelector('input').value)); }
    catch (e) { window.readAttempts.push('refused'); }
  };
</script></body></html>`;

before(async () => {
  partner = await serveSite(partnerPage);
  stranger = await serveSite(partnerPage);
  const first = await startStack();
  const dataDir = first.dataDir;
  await first.stop({ keepData: true });
  // Staff list the partner's site for the seventh first supporter, which has no website.
  const listed = staff(dataDir, ['supporters', 'frame', 's07', partner.base]);
  assert.match(listed, new RegExp(`^  ${partner.base}$`, 'm'));
  stack = await startStack({ dataDir });
  // What the partner pastes: the embed page's frame snippet, with its code.
  const embed = await (await fetch(`${stack.base}/uk/embed/`)).text();
  const code = [...embed.matchAll(/<pre><code>([\s\S]*?)<\/code><\/pre>/g)][1][1];
  snippet = code
    .replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#x27;', "'")
    .replaceAll('&#x2f;', '/').replaceAll('&amp;', '&')
    .replace('partner=CODE', 'partner=s07');
  browser = await startBrowser();
});

after(async () => {
  partner?.server.close();
  stranger?.server.close();
  await browser?.close();
  await stack?.stop();
});

async function confirm(email) {
  const [mail] = await mailTo(stack.base, email);
  assert.ok(mail, `no email reached ${email}`);
  const token = /\/api\/confirm\?t=(\S+)/.exec(mail.text)[1];
  const confirmed = await fetch(`${stack.base}/api/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ t: token }),
  });
  assert.equal(confirmed.status, 200);
}

test("a partner's page frames the form, its scripts read nothing, and a person signs in it", async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(partner.base);
  const frame = page.frameLocator('iframe');
  await frame.locator('#name').waitFor();
  assert.match(await frame.locator('#sign-heading').textContent(), /\S/);
  // The frame grows to the form's height, by the one message it sends.
  await page.waitForFunction(() => parseInt(document.querySelector('iframe').style.height, 10) > 300);

  await frame.locator('#name').fill('Оксана Петренко');
  await frame.locator('#email').fill('framed-js@example.org');
  await frame.locator('#country').selectOption('UA');
  await frame.locator('#partner_updates').check();
  await page.evaluate(() => window.tryToRead());
  assert.deepEqual(await page.evaluate(() => window.readAttempts), ['no document', 'refused']);
  const loadsBefore = await page.evaluate(() => window.loads);
  await page.waitForTimeout(PERSON_MS);
  await frame.locator('button[type=submit]').click();
  await frame.locator('[data-sent-here] h1').waitFor();
  assert.equal(await page.evaluate(() => window.loads), loadsBefore, 'the frame did not navigate');
  await confirm('framed-js@example.org');
  assert.deepEqual(problems, []);
});

test('without JavaScript, the framed form answers in a tab of its own', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(partner.base);
  const frame = page.frameLocator('iframe');
  await frame.locator('#name').fill('Ivan');
  await frame.locator('#email').fill('framed-plain@example.org');
  await frame.locator('#country').selectOption('DE');
  const [answer] = await Promise.all([
    context.waitForEvent('page'),
    frame.locator('button[type=submit]').click(),
  ]);
  await answer.waitForLoadState();
  assert.match(answer.url(), /\/api\/frame\?partner=s07&lang=uk&step=sent$/);
  assert.equal(await frame.locator('#name').inputValue(), 'Ivan', 'the partner page still shows the form');
  await confirm('framed-plain@example.org');
  await context.close();
});

test('a site staff did not list cannot frame the form', async () => {
  const page = await browser.newPage();
  const refused = new Promise((resolve) => {
    page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) resolve(message.text());
    });
  });
  await page.goto(stranger.base);
  assert.match(await refused, /violates the following Content Security Policy directive: "frame-ancestors/);
  assert.equal(await page.frameLocator('iframe').locator('form').count(), 0);
});

test('axe finds no accessibility violation in the framed form or its answer, in any language', async () => {
  // axe is added to the page as a script: the frame's own policy lets only ours run.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const found = [];
  for (const lang of LANGUAGES) {
    for (const step of ['', '&step=sent']) {
      await page.goto(`${stack.base}/api/frame?partner=s07&lang=${lang}${step}`);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const violation of result.violations) {
        found.push(`${lang}${step}: ${violation.id} (${violation.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      }
    }
  }
  await context.close();
  assert.deepEqual(found, []);
});

// A staff command on the stack's data, the stack stopped meanwhile and started again.
async function staffCommand(args) {
  const dataDir = stack.dataDir;
  await stack.stop({ keepData: true });
  try {
    return staff(dataDir, args);
  } finally {
    stack = await startStack({ dataDir });
  }
}

test('the partner is credited with both signatures', async () => {
  const figures = await staffCommand(['stats', '--by-source']);
  const row = figures.split('\n').find((line) => line.includes('s07'));
  assert.ok(row, figures);
  assert.deepEqual(row.split(/[│┆]/).map((cell) => cell.trim()).filter(Boolean), ['s07', '2', '2', '100.0 %']);
});

test("a consent given in the frame reaches the partner's export, and a withdrawal its next", async () => {
  const exported = async () => JSON.parse(await staffCommand(['export', '--partner', 's07', '--format', 'json']))
    .map((row) => [row.status, row.email]);
  assert.deepEqual(await exported(), [['consenting', 'framed-js@example.org']], 'only who ticked the box');

  // The signer withdraws from the link in the email, in the browser; the signature stays.
  const [mail] = await mailTo(stack.base, 'framed-js@example.org');
  // The stack started again on another port: the link's path, at its address now.
  const erase = /\/api\/erase\?t=\S+/.exec(mail.text)[0];
  const page = await browser.newPage();
  await page.goto(`${stack.base}${erase}`);
  await page.locator('form:has(input[name=withdraw][value=partner]) button').click();
  await page.waitForURL(/\/uk\/withdrawn\/$/);
  const count = await (await fetch(`${stack.base}/api/count`)).json();
  assert.equal(count.total, 2, 'still counted');

  assert.deepEqual(await exported(), [['withdrawn', 'framed-js@example.org']], 'the partner is told');
  assert.deepEqual(await exported(), [], 'once');
});
