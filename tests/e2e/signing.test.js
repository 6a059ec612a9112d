// A person signs on the local stack in a real browser, reads the email in the mail viewer,
// follows the link and confirms: the whole flow, with no JavaScript of ours involved.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, startStack } from './stack.js';

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
  await page.getByRole('button', { name: 'Підписати' }).click();

  await page.waitForURL('**/uk/check-email/');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Перевірте свою пошту');

  await page.goto(`${stack.base}/_dev/mail`);
  await page.getByText('Підтвердьте свій підпис для People First').first().waitFor();
  await page.getByRole('link', { name: 'Open the link in this email' }).click();
  await page.waitForURL('**/api/confirm?t=*');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Підтвердьте свій підпис');

  await page.getByRole('button', { name: 'Підтвердити мій підпис' }).click();
  await page.waitForURL('**/uk/thank-you/');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Дякуємо!');
  await context.close();
});

test('a mistake comes back in the signer’s language with what they typed', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${stack.base}/fr/`);
  await page.getByLabel('Votre adresse e-mail').fill('marie@');
  await page.getByLabel('Pays').selectOption('FR');
  await page.getByRole('button', { name: 'Signer' }).click();

  assert.equal(await page.getByRole('alert').textContent(), 'Veuillez corriger les champs signalés ci-dessous.');
  assert.equal(await page.locator('#name-error').textContent(), 'Veuillez indiquer votre nom.');
  assert.equal(await page.locator('#email-error').textContent(), 'Cette adresse e-mail ne semble pas correcte.');
  assert.equal(await page.getByLabel('Votre adresse e-mail').inputValue(), 'marie@');
  assert.equal(await page.getByLabel('Pays').inputValue(), 'FR');
  await context.close();
});
