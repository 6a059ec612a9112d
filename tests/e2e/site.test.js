// The campaign site as people use it, in a real browser: French and Ukrainian, with and
// without JavaScript, every page checked by axe, screenshots kept for a person to look at.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PERSON_MS, startBrowser, startStack } from './stack.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// The campaign's languages, from the one list the library is built from.
const LANGUAGES = readFileSync(new URL('../../locales/languages', import.meta.url), 'utf8')
  .split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
const PAGES = ['', 'check-email/', 'thank-you/', 'withdrawn/', 'privacy/', 'embed/', 'map/', 'nowhere/', 'organisations/',
  'organisations/check-email/', 'organisations/confirmed/'];

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

async function total() {
  return (await (await fetch(`${stack.base}/api/count`)).json()).total;
}

async function linkFor(email) {
  for (let i = 0; i < 100; i += 1) {
    const mail = await (await fetch(`${stack.base}/_dev/mail.json`)).json();
    const sent = mail.find((m) => m.to === email);
    if (sent) return /(http\S+\/api\/confirm\?t=\S+)/.exec(sent.text)[1];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no email reached ${email}`);
}

async function countReaches(n) {
  for (let i = 0; i < 100; i += 1) {
    if ((await total()) >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`the count never reached ${n}`);
}

const flows = [
  { lang: 'fr', browserLocale: 'fr-FR', javaScript: true, name: 'Marie Dupont', button: 'Signer',
    checkEmail: 'Consultez vos e-mails', confirm: 'Confirmer ma signature', thanks: 'Merci\u00a0!' },
  { lang: 'uk', browserLocale: 'uk-UA', javaScript: true, name: 'Оксана Петренко', button: 'Підписати',
    checkEmail: 'Перевірте свою пошту', confirm: 'Підтвердити мій підпис', thanks: 'Дякуємо!' },
  { lang: 'fr', browserLocale: 'fr-FR', javaScript: false, name: 'Jean Martin', button: 'Signer',
    checkEmail: 'Consultez vos e-mails', confirm: 'Confirmer ma signature', thanks: 'Merci\u00a0!' },
  { lang: 'uk', browserLocale: 'uk-UA', javaScript: false, name: 'Тарас Шевчук', button: 'Підписати',
    checkEmail: 'Перевірте свою пошту', confirm: 'Підтвердити мій підпис', thanks: 'Дякуємо!' },
];

for (const flow of flows) {
  const how = flow.javaScript ? 'with JavaScript' : 'without JavaScript';
  test(`in ${flow.lang}, ${how}: sign, confirm from the email, and the count is one higher`, async () => {
    const context = await browser.newContext({ locale: flow.browserLocale, javaScriptEnabled: flow.javaScript });
    const page = await context.newPage();
    const before = await total();
    await page.goto(`${stack.base}/`);
    assert.equal(new URL(page.url()).pathname, `/${flow.lang}/`);
    if (flow.javaScript) {
      await page.locator('[data-people-first-count] .count strong').filter({ hasText: String(before) }).waitFor();
      assert.equal(await page.locator('#country').inputValue(), flow.browserLocale.split('-')[1], 'the likely country');
    } else {
      await page.locator('#country').selectOption(flow.browserLocale.split('-')[1]);
    }
    const email = `${flow.lang}.${flow.javaScript}.${Date.now()}@example.org`;
    await page.locator('#name').fill(flow.name);
    await page.locator('#email').fill(email);
    await page.waitForTimeout(PERSON_MS);
    await page.getByRole('button', { name: flow.button, exact: true }).click();
    await page.waitForURL(`**/${flow.lang}/check-email/`);
    assert.equal(await page.locator('h1').textContent(), flow.checkEmail);

    await page.goto(await linkFor(email));
    await page.getByRole('button', { name: flow.confirm }).click();
    await page.waitForURL(`**/${flow.lang}/thank-you/`);
    assert.equal(await page.locator('h1').textContent(), flow.thanks);
    await countReaches(before + 1);

    await page.goto(`${stack.base}/${flow.lang}/`);
    if (flow.javaScript) {
      await page.locator('[data-people-first-count] .count strong').filter({ hasText: String(before + 1) }).waitFor();
    } else {
      const badge = await (await fetch(`${stack.base}/api/count.svg?lang=${flow.lang}`)).text();
      assert.match(badge, new RegExp(`>${before + 1}[^<]*</text>`));
    }
    await context.close();
  });
}

for (const javaScript of [true, false]) {
  test(`an invalid address shows the error in Ukrainian, ${javaScript ? 'in place' : 'on a page'}`, async () => {
    const context = await browser.newContext({ locale: 'uk-UA', javaScriptEnabled: javaScript });
    const page = await context.newPage();
    await page.goto(`${stack.base}/uk/`);
    await page.locator('#name').fill('Оксана');
    await page.locator('#email').fill('oksana@');
    await page.locator('#country').selectOption('UA');
    await page.waitForTimeout(PERSON_MS);
    await page.getByRole('button', { name: 'Підписати', exact: true }).click();
    await page.locator('#email-error').filter({ hasText: 'Ця електронна адреса виглядає неправильною.' }).waitFor();
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#email').inputValue(), 'oksana@', 'what was typed is kept');
    if (javaScript) assert.equal(new URL(page.url()).pathname, '/uk/', 'no page was left');
    await context.close();
  });
}

test('axe finds no accessibility violation on any page in any language', async () => {
  const page = await browser.newPage();
  const found = [];
  for (const lang of LANGUAGES) {
    for (const path of PAGES) {
      await page.goto(`${stack.base}/${lang}/${path}`);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const violation of result.violations) {
        found.push(`${lang}/${path}: ${violation.id} (${violation.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      }
    }
  }
  assert.deepEqual(found, []);
});

test('on a 375-pixel phone the sign card starts in the first screen, in every language', async () => {
  for (const lang of LANGUAGES) {
    const page = await browser.newPage({ viewport: { width: 375, height: 667 } });
    await page.goto(`${stack.base}/${lang}/`);
    const heading = await page.locator('#sign-heading').boundingBox();
    assert.ok(heading.y + heading.height <= 667, `${lang}: the sign card's heading ends at ${heading.y + heading.height} px`);
    const form = await page.locator('#name').boundingBox();
    const appeal = await page.locator('#appeal').boundingBox();
    assert.ok(form.y < appeal.y, `${lang}: the form comes before the long text`);
    await page.close();
  }
});

test('each quote is set as a quote, with its speaker apart from who they are', async () => {
  const page = await browser.newPage();
  for (const lang of ['en', 'uk']) {
    await page.goto(`${stack.base}/${lang}/`);
    const quotes = page.locator('figure.quote');
    assert.equal(await quotes.count(), 5);
    for (const quote of await quotes.all()) {
      assert.ok((await quote.locator('blockquote').textContent()).trim().length > 20);
      const speaker = (await quote.locator('figcaption .speaker').textContent()).trim();
      // The comma a screen reader reads between the name and the role is hidden.
      assert.match(speaker, /^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+,$/u, `${lang}: a name alone, "${speaker}"`);
      assert.ok((await quote.locator('figcaption .role').textContent()).trim().length > 10);
    }
  }
  await page.close();
});

test('screenshots of the home page at 375 and 1280 px, in French and Ukrainian', async () => {
  const directory = process.env.SCREENSHOT_DIR || join(process.cwd(), 'screenshots', 'after');
  mkdirSync(directory, { recursive: true });
  for (const lang of ['fr', 'uk']) {
    for (const width of [375, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${stack.base}/${lang}/`);
      await page.locator('[data-people-first-count] .count strong').waitFor();
      await page.screenshot({ path: join(directory, `home-${lang}-${width}.png`), fullPage: true });
      await page.close();
    }
  }
});
