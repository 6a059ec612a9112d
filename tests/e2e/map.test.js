// The map of signatures: its borders as built (Ukraine in its internationally recognised
// borders), and the page shading, live from the count, only the countries the count shows apart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoEqualEarth } from 'd3-geo';
import { mailTo, startBrowser, startStack } from './stack.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const MAP = readFileSync(new URL('../../static/assets/world-map.svg', import.meta.url), 'utf8');

// [longitude, latitude] of places a map must put in Ukraine: inland, as the simplified coast
// moves by a few kilometres.
const UKRAINE = {
  Kyiv: [30.52, 50.45],
  Simferopol: [34.1, 44.95],
  Bakhchysarai: [33.86, 44.75],
  Dzhankoi: [34.39, 45.71],
  Kerch: [36.47, 45.36],
  Donetsk: [37.8, 48.0],
  Luhansk: [39.3, 48.57],
  Mariupol: [37.55, 47.1],
  Melitopol: [35.37, 46.84],
};
const RUSSIA = { Moscow: [37.62, 55.75], Rostov: [39.7, 47.24] };

let stack;
let browser;

before(async () => {
  // Countries with two confirmed or more are shown apart.
  process.env.PEOPLE_FIRST_SMALLEST_COUNTRY_SHOWN = '2';
  stack = await startStack();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

// Which countries' shapes on the built map hold each place, as Chromium fills them.
async function countriesAt(places) {
  const page = await browser.newPage();
  await page.setContent(`<!doctype html><body>${MAP}</body>`);
  const svg = page.locator('svg.world-map');
  const scale = Number(await svg.getAttribute('data-scale'));
  const [x, y] = (await svg.getAttribute('data-translate')).split(' ').map(Number);
  assert.equal(await svg.getAttribute('data-projection'), 'equal-earth');
  const projection = geoEqualEarth().scale(scale).translate([x, y]);
  const found = {};
  for (const [name, place] of Object.entries(places)) {
    const [px, py] = projection(place);
    found[name] = await page.evaluate(([px, py]) => [...document.querySelectorAll('path[data-country]')]
      .filter((path) => path.isPointInFill(new DOMPoint(px, py)))
      .map((path) => path.dataset.country), [px, py]);
  }
  await page.close();
  return found;
}

test('the built map draws Ukraine in its internationally recognised borders, Crimea included', async () => {
  const ukraine = await countriesAt(UKRAINE);
  for (const [name, countries] of Object.entries(ukraine)) {
    assert.deepEqual(countries, ['UA'], `${name} is in Ukraine and in no other country`);
  }
  const russia = await countriesAt(RUSSIA);
  for (const [name, countries] of Object.entries(russia)) {
    assert.deepEqual(countries, ['RU'], `${name} is in Russia`);
  }
  assert.equal((MAP.match(/data-country="UA"/g) || []).length, 1, 'Ukraine is one shape');
});

async function signAndConfirm(email, country) {
  const signed = await fetch(`${stack.base}/api/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Anna', email, country, locale: 'en' }),
  });
  assert.equal(signed.status, 202);
  const [mail] = await mailTo(stack.base, email);
  const confirmed = await fetch(`${stack.base}/api/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ t: /t=([^\s&]+)/.exec(mail.text)[1] }),
  });
  assert.equal(confirmed.status, 200);
}

test('the map shades a country the count shows apart, and not one under its rule', async () => {
  await signAndConfirm('olena@example.org', 'UA');
  await signAndConfirm('taras@example.org', 'UA');
  await signAndConfirm('piotr@example.org', 'PL');
  for (let i = 0; ; i += 1) {
    const count = await (await fetch(`${stack.base}/api/count`)).json();
    if (count.total === 3) break;
    assert.ok(i < 100, 'the count never reached 3');
    await new Promise((r) => setTimeout(r, 50));
  }
  const page = await browser.newPage();
  await page.goto(`${stack.base}/uk/map/`);
  const row = page.locator('[data-people-first-map-rows] tr');
  await row.first().waitFor();
  assert.deepEqual(await row.allTextContents(), ['Україна2']);
  // The borders come after the page.
  await page.locator('path[data-country="UA"][data-shade]').waitFor();
  assert.ok(await page.locator('svg.world-map path').count() > 200, 'the whole map is drawn');
  assert.equal(await page.locator('path[data-country="UA"]').getAttribute('data-shade'), '5');
  assert.equal(await page.locator('path[data-country="PL"]').getAttribute('data-shade'), null);
  assert.equal(await page.locator('[data-people-first-map-others]').textContent(), '1');
  assert.ok(await page.locator('tfoot').isVisible(), 'the countries counted together are shown as one row');
  await page.close();
});

test('without JavaScript, the map page leads to the same table, on a page of its own', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${stack.base}/uk/map/`);
  await page.getByRole('link', { name: 'Підтверджені підписи за країнами' }).click();
  await page.waitForURL('**/api/count.html?lang=uk');
  assert.deepEqual(await page.locator('tbody tr').allTextContents(), ['Україна2']);
  assert.equal(await page.locator('tfoot td').textContent(), '1');
  assert.doesNotMatch(await page.locator('table').textContent(), /Польща/);
  await context.close();
  // The API's page sends its own policy, which keeps axe's script out as any other.
  const axeContext = await browser.newContext({ bypassCSP: true });
  const checked = await axeContext.newPage();
  for (const path of ['/uk/map/', '/api/count.html?lang=uk']) {
    await checked.goto(`${stack.base}${path}`);
    await checked.addScriptTag({ content: axeSource });
    const result = await checked.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    assert.deepEqual(result.violations.map((v) => v.id), [], path);
  }
  await axeContext.close();
});
