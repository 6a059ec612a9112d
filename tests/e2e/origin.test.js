// Another site cannot make its visitors sign: a form or a script on it reaches /api/sign with that
// site's Origin and is refused, in the visitor's language, with nothing stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startBrowser, startStack } from './stack.js';

let stack;
let browser;
let foreign;

function serveForeignPage(stackBase) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A prize</title></head>
<body><h1>You have won</h1>
<form method="post" action="${stackBase}/api/sign">
<input type="hidden" name="name" value="Visitor">
<input type="hidden" name="email" value="visitor@example.org">
<input type="hidden" name="country" value="UA">
<input type="hidden" name="locale" value="uk">
<button type="submit">Claim the prize</button>
</form></body></html>`;
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

before(async () => {
  stack = await startStack();
  browser = await startBrowser();
  foreign = await serveForeignPage(stack.base);
});

after(async () => {
  foreign?.server.close();
  await browser?.close();
  await stack?.stop();
});

const mailTo = async (address) =>
  (await (await fetch(`${stack.base}/_dev/mail.json`)).json()).filter((m) => m.to === address);

test('a form or a script on another site cannot make its visitors sign', async () => {
  const context = await browser.newContext({ locale: 'uk-UA' });
  const page = await context.newPage();
  await page.goto(foreign.base);
  const [answer] = await Promise.all([
    page.waitForResponse(`${stack.base}/api/sign`),
    page.getByRole('button', { name: 'Claim the prize' }).click(),
  ]);
  assert.equal(answer.status(), 403);
  await page.getByText('Будь ласка, підпишіть на сайті кампанії').waitFor();

  // A script on that site, with a body that needs no preflight, fares no better.
  await page.goto(foreign.base);
  await page.evaluate(async (base) => {
    await fetch(`${base}/api/sign`, {
      method: 'POST',
      mode: 'no-cors',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Script&email=script%40example.org&country=UA&locale=uk',
    });
  }, stack.base);

  // Signing on the campaign's own page still works, and its email goes out; the others' never do.
  const own = await context.newPage();
  await own.goto(`${stack.base}/uk/`);
  await own.locator('#name').fill('Оксана');
  await own.locator('#email').fill('own.page@example.org');
  await own.locator('#country').selectOption('UA');
  await own.waitForTimeout(1600);
  await own.locator('form[data-sign] button[type=submit]').click();
  await own.waitForURL('**/uk/check-email/');
  for (let i = 0; i < 100 && (await mailTo('own.page@example.org')).length === 0; i += 1) {
    await own.waitForTimeout(50);
  }
  assert.equal((await mailTo('own.page@example.org')).length, 1);
  assert.deepEqual(await mailTo('visitor@example.org'), []);
  assert.deepEqual(await mailTo('script@example.org'), []);
  await context.close();
});
