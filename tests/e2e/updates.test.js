// A signer stops the campaign's updates from the unsubscribe link, in a browser without
// JavaScript: the page shows one button, which posts as a mail client's one-click would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mailTo, startBrowser, startStack } from './stack.js';

let stack;
let browser;

before(async () => {
  stack = await startStack();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function post(path, body) {
  return fetch(`${stack.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

test('the unsubscribe page works without JavaScript and keeps the signature', async () => {
  const address = 'nouvelles@example.org';
  const signed = await post('/api/sign', {
    name: 'Camille', email: address, country: 'FR', locale: 'fr', updates: true,
  });
  assert.equal(signed.status, 202);
  const [mail] = await mailTo(stack.base, address);
  const token = (text, path) => new RegExp(`${path}\\?t=([\\w-]+)`).exec(text)[1];
  assert.equal((await post('/api/confirm', { t: token(mail.text, '/api/confirm') })).status, 200);

  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
  const page = await context.newPage();
  const link = `/api/unsubscribe?t=${token(mail.text, '/api/erase')}`;
  await page.goto(`${stack.base}${link}`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr', "the signer's language");
  assert.equal(
    await page.getByRole('heading', { level: 1 }).textContent(),
    'Ne plus recevoir les nouvelles de la campagne',
  );
  await page.getByRole('button', { name: 'Ne plus recevoir les nouvelles de la campagne' }).click();
  assert.equal(new URL(page.url()).pathname, '/api/unsubscribe', 'answered in place');
  assert.equal(
    await page.getByRole('heading', { level: 1 }).textContent(),
    'Vous ne recevrez plus les nouvelles de la campagne',
  );
  const count = await (await fetch(`${stack.base}/api/count`)).json();
  assert.equal(count.total, 1, 'still counted');

  await page.goto(`${stack.base}${link}`);
  assert.equal(await page.getByRole('button').count(), 0, 'nothing left to stop');
  await context.close();
});
