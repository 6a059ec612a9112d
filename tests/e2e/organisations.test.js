// An organisation asks to join the supporters list in a real browser, without JavaScript; its
// contact confirms from the email; staff decide with the command line; the pages show the list
// as decided, and never an organisation a person rejected.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mailTo, startBrowser, startStack, staff } from './stack.js';

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

// Asks, as a person in `locale` with no JavaScript, from the home page's link; confirms from the
// email as its contact; returns the organisation's id.
async function askAndConfirm({ locale, home, link, labels, name, email, submit, checkEmail, confirm, confirmed }) {
  const context = await browser.newContext({ locale, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${stack.base}/${home}/`);
  await page.getByRole('link', { name: link }).click();
  await page.waitForURL(`**/${home}/organisations/`);
  await page.getByLabel(labels.organisation).fill(name);
  await page.getByLabel(labels.country).selectOption('DE');
  await page.getByLabel(labels.website).fill('memorial.de');
  await page.getByLabel(labels.contact).fill('Anna Schmidt');
  await page.getByLabel(labels.email).fill(email);
  await page.getByRole('button', { name: submit }).click();
  await page.waitForURL(`**/${home}/organisations/check-email/`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), checkEmail);

  const [sent] = await mailTo(stack.base, email);
  assert.ok(sent, `an email went to ${email}`);
  const url = sent.text.match(/http\S+\/api\/organisations\/confirm\?\S+/)[0];
  await page.goto(url);
  assert.ok((await page.locator('main').textContent()).includes(name), 'the page names what it confirms');
  await page.getByRole('button', { name: confirm }).click();
  await page.waitForURL(`**/${home}/organisations/confirmed/`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), confirmed);
  await context.close();
  return new URL(url).searchParams.get('id');
}

async function supporters(lang) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${stack.base}/${lang}/`);
  const names = await page.locator('ul.supporters li').allTextContents();
  const count = await page.locator('p.supporters-count').textContent();
  await context.close();
  return { names, count: count.replace(/[\u2068\u2069]/g, '') };
}

test('with JavaScript, the request carries the page’s proof of work for the contact’s address', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${stack.base}/en/organisations/`);
  await page.getByLabel('Name of the organisation, as it should appear in the list').fill('Proof e.V.');
  await page.getByLabel('The organisation’s country').selectOption('DE');
  await page.getByLabel('The organisation’s website').fill('proof.example.org');
  await page.getByLabel('Your name (never published)').fill('Anna Schmidt');
  // An address whose first proof shared/src/domain/proof.rs knows: 45289.
  await page.getByLabel('Your email address at the organisation (never published)').fill('proof@example.org');
  const posts = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/organisations') && r.method() === 'POST') posts.push(r); });
  // Impatient: sent twice while the proof is awaited.
  await page.locator('form[data-prove]').evaluate((form) => { form.requestSubmit(); form.requestSubmit(); });
  await page.waitForURL('**/en/organisations/check-email/');
  assert.equal(posts.length, 1, 'the request went once');
  assert.equal(new URLSearchParams(posts[0].postData()).get('proof'), '45289');
  await context.close();
});

test('a browser that refuses the hash still sends the request, without a proof', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  await context.addInitScript(() => {
    crypto.subtle.digest = () => Promise.reject(new Error('refused'));
  });
  const page = await context.newPage();
  await page.goto(`${stack.base}/en/organisations/`);
  await page.getByLabel('Name of the organisation, as it should appear in the list').fill('Refused e.V.');
  await page.getByLabel('The organisation’s country').selectOption('DE');
  await page.getByLabel('The organisation’s website').fill('refused.example.org');
  await page.getByLabel('Your name (never published)').fill('Anna Schmidt');
  await page.getByLabel('Your email address at the organisation (never published)').fill('refused@example.org');
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/organisations') && r.method() === 'POST');
  await page.getByRole('button', { name: 'Send the request' }).click();
  assert.equal(new URLSearchParams((await sent).postData()).get('proof'), '');
  await page.waitForURL('**/en/organisations/check-email/');
  await context.close();
});

test('an organisation asks in German, is approved by staff, and both languages list it', async () => {
  const german = await askAndConfirm({
    locale: 'de-DE',
    home: 'de',
    link: 'Tragen Sie Ihre Organisation in die Liste ein',
    labels: {
      organisation: 'Name der Organisation, wie er in der Liste erscheinen soll',
      country: 'Land der Organisation',
      website: 'Website der Organisation',
      contact: 'Ihr Name (wird nie veröffentlicht)',
      email: 'Ihre E-Mail-Adresse bei der Organisation (wird nie veröffentlicht)',
    },
    name: 'Memorial Deutschland e.V.',
    email: 'anna@memorial.de',
    submit: 'Anfrage senden',
    checkEmail: 'Sehen Sie in Ihrem Postfach nach',
    confirm: 'Anfrage bestätigen',
    confirmed: 'Ihre Anfrage ist bestätigt',
  });
  const rejected = await askAndConfirm({
    locale: 'en-GB',
    home: 'en',
    link: 'Add your organisation to the list',
    labels: {
      organisation: 'Name of the organisation, as it should appear in the list',
      country: 'The organisation’s country',
      website: 'The organisation’s website',
      contact: 'Your name (never published)',
      email: 'Your email address at the organisation (never published)',
    },
    name: 'Totally Real Supporters Ltd',
    email: 'spam@example.org',
    submit: 'Send the request',
    checkEmail: 'Check your email',
    confirm: 'Confirm the request',
    confirmed: 'Your request is confirmed',
  });
  const before = await supporters('de');
  assert.equal(before.names.length, 36, 'nothing is public before a person approves it');
  assert.ok(!before.names.includes('Memorial Deutschland e.V.'));

  // Staff decide with the stack stopped, as the command line asks.
  const { dataDir } = stack;
  await stack.stop({ keepData: true });
  const pending = staff(dataDir, ['supporters', 'pending']);
  assert.ok(pending.includes(german) && pending.includes(rejected), pending);
  assert.ok(pending.includes("an address at the website's domain"), pending);
  staff(dataDir, ['supporters', 'approve', german, '--name', 'uk=Меморіал Німеччина']);
  staff(dataDir, ['supporters', 'reject', rejected]);
  const started = Date.now();
  stack = await startStack({ dataDir });
  const de = await supporters('de');
  console.log(`# the approval reached the pages ${Date.now() - started} ms after the stack started again`);
  const uk = await supporters('uk');
  assert.equal(de.names.at(-1), 'Memorial Deutschland e.V.', 'an approval joins the end of the list');
  assert.equal(uk.names.at(-1), 'Меморіал Німеччина', 'with its name in another language');
  assert.equal(de.count, '37 Organisationen unterstützen die Kampagne.');
  assert.equal(uk.count, '37 організацій підтримують кампанію.');
  for (const page of [de, uk, await supporters('en')]) {
    assert.ok(!page.names.some((n) => n.includes('Totally Real')), 'a rejected organisation never appears');
  }

  const context = await browser.newContext();
  const mail = await (await context.request.get(`${stack.base}/_dev/mail.json`)).json();
  const told = mail.filter((m) => m.to === 'anna@memorial.de').map((m) => m.subject);
  assert.ok(told.includes('Ihre Organisation steht auf der Liste von People First'), told.join(' | '));
  assert.ok(mail.some((m) => m.to === 'spam@example.org' && m.subject === 'Your request to People First'));
  const notices = mail.filter((m) => m.to === 'moderation@people-first.localhost');
  assert.equal(notices.length, 1, 'the moderation mailbox hears when requests start waiting, once');
  assert.ok(notices.every((m) => !m.text.includes('Anna')), 'by the organisation’s name only');
  await context.close();
});
