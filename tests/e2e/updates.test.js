// A signer gets the campaign's update staff sent, in French, and stops the updates from its
// link in a browser without JavaScript: the page shows one button, which posts as a mail
// client's one-click would, and the signature stays counted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mailTo, staff, startBrowser, startStack } from './stack.js';

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

// The update in the outbox for `address`, once the follow-up mail sent it.
async function updateTo(address) {
  for (let i = 0; i < 100; i += 1) {
    const mail = (await (await fetch(`${stack.base}/_dev/mail.json`)).json())
      .find((m) => m.to === address && m.list_unsubscribe.includes('/api/unsubscribe'));
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no update to ${address} after 10 s`);
}

test('an update arrives in French and its link stops the updates without JavaScript', async () => {
  const address = 'nouvelles@example.org';
  const signed = await post('/api/sign', {
    name: 'Camille', email: address, country: 'FR', locale: 'fr', updates: true,
  });
  assert.equal(signed.status, 202);
  const [confirmation] = await mailTo(stack.base, address);
  const token = /\/api\/confirm\?t=([\w-]+)/.exec(confirmation.text)[1];
  assert.equal((await post('/api/confirm', { t: token })).status, 200);

  // Staff send an update, with the stack stopped, as staff commands need it.
  const dir = mkdtempSync(join(tmpdir(), 'people-first-update-'));
  writeFileSync(join(dir, 'en.md'), '# Geneva next\n\nThank you. Next: **Geneva**.\n');
  writeFileSync(join(dir, 'fr.md'), '# Prochaine étape : Genève\n\nMerci. Ensuite : **Genève**.\n');
  const { dataDir } = stack;
  await stack.stop({ keepData: true });
  assert.match(staff(dataDir, ['updates', 'send', dir, '--yes']), /goes to 1 signers \(fr 1\)/);
  stack = await startStack({ dataDir });

  const update = await updateTo(address);
  assert.equal(update.subject, 'Prochaine étape : Genève');
  assert.equal(update.list_unsubscribe_post, 'List-Unsubscribe=One-Click');
  const link = /\/api\/unsubscribe\?t=[\w-]+&u=1/.exec(update.text)[0];
  assert.ok(update.list_unsubscribe.includes(link), 'the footer and the header share the link');

  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
  const page = await context.newPage();
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

  await stack.stop({ keepData: true });
  const status = staff(dataDir, ['updates', 'status']);
  assert.match(status, /sent +1\n/);
  assert.match(status, /unsubscribed 1\n/);
  stack = await startStack({ dataDir });
});
