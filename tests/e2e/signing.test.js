// A person signs on the local stack in a real browser, reads the email in the mail viewer,
// follows the link and confirms: the whole flow, with no JavaScript of ours involved.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PERSON_MS, startBrowser, startStack } from './stack.js';

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

test('a person signs in Ukrainian, confirms from the email and is thanked', async () => {
  const context = await browser.newContext({ locale: 'uk-UA' });
  const page = await context.newPage();

  await page.goto(`${stack.base}/`);
  assert.equal(new URL(page.url()).pathname, '/uk/', 'the browser language picks the page');
  await page.getByLabel('Ваше ім’я').fill('Оксана Петренко');
  await page.getByLabel('Ваша електронна адреса').fill('oksana@example.org');
  await page.getByLabel('Країна').selectOption('UA');
  await page.waitForTimeout(PERSON_MS);
  await page.getByRole('button', { name: 'Підписати' }).click();

  await page.waitForURL('**/uk/check-email/');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Перевірте свою пошту');

  await page.goto(`${stack.base}/_dev/mail`);
  await page.getByText('Підтвердьте свій підпис для People First').first().waitFor();
  await page.getByRole('link', { name: 'Open the confirmation link' }).click();
  await page.waitForURL('**/api/confirm?t=*');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Підтвердьте свій підпис');

  await page.getByRole('button', { name: 'Підтвердити мій підпис' }).click();
  await page.waitForURL('**/uk/thank-you/');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Дякуємо!');
  await context.close();
});

test('the page does the work for the address it signs with, as the server counts it', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${stack.base}/en/`);
  await page.getByLabel('Your name').fill('Proof');
  // An address whose first proof shared/src/domain/proof.rs knows: 45289.
  await page.getByLabel('Your email address').fill('proof@example.org');
  await page.getByLabel('Country').selectOption('PL');
  await page.waitForTimeout(PERSON_MS);
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/sign') && r.method() === 'POST');
  await page.getByRole('button', { name: 'Sign' }).click();
  assert.equal(JSON.parse((await sent).postData()).proof, '45289');
  await page.waitForURL('**/en/check-email/');
  await context.close();
});

test('a browser that refuses the hash still signs, without a proof', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  await context.addInitScript(() => {
    crypto.subtle.digest = () => Promise.reject(new Error('refused'));
  });
  const page = await context.newPage();
  await page.goto(`${stack.base}/en/`);
  await page.getByLabel('Your name').fill('Refused');
  await page.getByLabel('Your email address').fill('refused@example.org');
  await page.getByLabel('Country').selectOption('PL');
  await page.waitForTimeout(PERSON_MS);
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/sign') && r.method() === 'POST');
  await page.getByRole('button', { name: 'Sign' }).click();
  assert.equal(JSON.parse((await sent).postData()).proof, undefined);
  await page.waitForURL('**/en/check-email/');
  await context.close();
});

test('a mistake comes back in the signer’s language with what they typed', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${stack.base}/fr/`);
  await page.getByLabel('Votre adresse e-mail').fill('marie@');
  await page.getByLabel('Pays').selectOption('FR');
  await page.waitForTimeout(PERSON_MS);
  await page.getByRole('button', { name: 'Signer' }).click();

  assert.equal(await page.getByRole('alert').textContent(), 'Veuillez corriger les champs signalés ci-dessous.');
  assert.equal(await page.locator('#name-error').textContent(), 'Veuillez indiquer votre nom.');
  assert.equal(await page.locator('#email-error').textContent(), 'Cette adresse e-mail ne semble pas correcte.');
  assert.equal(await page.getByLabel('Votre adresse e-mail').inputValue(), 'marie@');
  assert.equal(await page.getByLabel('Pays').inputValue(), 'FR');
  await context.close();
});

test('a form sent faster than a person could is answered like any other and dropped', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const mail = async () => (await (await fetch(`${stack.base}/_dev/mail.json`)).json()).map((m) => m.to);

  await page.goto(`${stack.base}/en/`);
  await page.locator('#name').fill('Quick Script');
  await page.locator('#email').fill('quick.script@example.org');
  await page.locator('#country').selectOption('GB');
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await page.waitForURL('**/en/check-email/');

  // A person after it: once their email is out, the script's would be too, had it been kept.
  await page.goto(`${stack.base}/en/`);
  await page.locator('#name').fill('Slow Person');
  await page.locator('#email').fill('slow.person@example.org');
  await page.locator('#country').selectOption('GB');
  await page.waitForTimeout(PERSON_MS);
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await page.waitForURL('**/en/check-email/');
  for (let i = 0; i < 100 && !(await mail()).includes('slow.person@example.org'); i += 1) {
    await page.waitForTimeout(50);
  }
  const sent = await mail();
  assert.ok(sent.includes('slow.person@example.org'));
  assert.ok(!sent.includes('quick.script@example.org'), 'nothing sent to the script');
  await context.close();
});


// Typing an address on a phone, in the page's language: the likely provider is suggested, and the
// check-email page says where the email went, with a way back to correct it.
const typos = [
  {
    lang: 'uk', locale: 'uk-UA', name: 'Оксана Петренко', typed: 'oksana.typo@gmial.com', meant: 'oksana.typo@gmail.com',
    suggestion: 'Можливо, ви мали на увазі', use: 'Використати цю адресу', email: 'Ваша електронна адреса',
    country: 'Країна', sign: 'Підписати', sentTo: 'Ми надіслали його на', correct: 'Адреса неправильна?',
  },
  {
    lang: 'fr', locale: 'fr-FR', name: 'Marie Dubois', typed: 'marie.typo@orange.fe', meant: 'marie.typo@orange.fr',
    suggestion: 'Vouliez-vous dire', use: 'Utiliser cette adresse', email: 'Votre adresse e-mail',
    country: 'Pays', sign: 'Signer', sentTo: 'Nous l’avons envoyé à', correct: 'Ce n’est pas la bonne adresse',
  },
];

for (const t of typos) {
  test(`in ${t.lang}, a likely typo is pointed out and the check-email page shows the address`, async () => {
    const context = await browser.newContext({ locale: t.locale });
    const page = await context.newPage();
    await page.goto(`${stack.base}/${t.lang}/`);
    await page.locator('#name').fill(t.name);
    const email = page.getByLabel(t.email);
    await email.fill(t.typed);
    await email.blur();
    const suggestion = page.locator('#email-suggestion');
    await suggestion.waitFor();
    const said = await suggestion.locator('[data-suggestion]').textContent();
    assert.ok(said.startsWith(t.suggestion) && said.includes(t.meant), said);
    await page.getByRole('button', { name: t.use }).click();
    assert.equal(await email.inputValue(), t.meant);
    assert.ok(await suggestion.isHidden());

    await page.getByLabel(t.country).selectOption(t.lang === 'uk' ? 'UA' : 'FR');
    await page.waitForTimeout(PERSON_MS);
    await page.getByRole('button', { name: t.sign, exact: true }).click();
    await page.waitForURL(`**/${t.lang}/check-email/`);
    const sentTo = page.locator('[data-sent-to]');
    assert.ok((await sentTo.textContent()).includes(`${t.sentTo} \u2068${t.meant}\u2069`), await sentTo.textContent());

    // The address was wrong after all: back to the form, filled in, to correct it.
    await page.getByRole('link', { name: t.correct }).click();
    await page.waitForURL(`**/${t.lang}/#sign`);
    assert.equal(await email.inputValue(), t.meant);
    assert.equal(await page.locator('#name').inputValue(), t.name);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'email', 'the address has the focus');
    const corrected = t.meant.replace('.typo@', '.corrected@');
    await email.fill(corrected);
    await page.waitForTimeout(PERSON_MS);
    await page.getByRole('button', { name: t.sign, exact: true }).click();
    await page.waitForURL(`**/${t.lang}/check-email/`);
    assert.ok((await sentTo.textContent()).includes(corrected));
    // Nothing of it stays in the tab once shown.
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await context.close();
  });
}
