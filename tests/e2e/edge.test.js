// The CDN's functions (infra/template.yaml), run as CloudFront runs them: each handler alone in
// a fresh JavaScript context, given viewer events. The site's pages are those that
// `people-first build-site` writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import vm from 'node:vm';

const template = readFileSync(new URL('../../infra/template.yaml', import.meta.url), 'utf8');

// The code of one CloudFront function: the block under its `FunctionCode: |`.
function cloudFrontFunction(name) {
  const lines = template.split('\n');
  const start = lines.indexOf(`  ${name}:`);
  assert.ok(start >= 0, `${name} is in the template`);
  const code = lines.findIndex((line, i) => i > start && line.trim() === 'FunctionCode: |');
  const body = [];
  for (const line of lines.slice(code + 1)) {
    if (line.trim() !== '' && !line.startsWith('        ')) break;
    body.push(line.slice(8));
  }
  const context = vm.createContext({});
  vm.runInContext(body.join('\n'), context);
  return context.handler;
}

const sitePages = cloudFrontFunction('SitePages');
const countLanguage = cloudFrontFunction('CountLanguage');
const frameQuery = cloudFrontFunction('FrameQuery');

function viewerRequest(uri, headers = {}, querystring = {}) {
  const wrapped = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { value: v }]));
  return {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '192.0.2.1' },
    request: { method: 'GET', uri, querystring, headers: wrapped, cookies: {} },
  };
}

// What the viewer gets for a URI: the file asked of the bucket (or a redirect), and the status
// the response function leaves on the bucket's 200.
function visit(uri, headers = {}) {
  const event = viewerRequest(uri, headers);
  const asked = sitePages(structuredClone(event));
  if (asked.statusCode) return { redirect: asked.headers.location.value, status: asked.statusCode };
  const response = sitePages({
    ...event,
    context: { eventType: 'viewer-response' },
    response: { statusCode: 200, statusDescription: 'OK', headers: {}, cookies: {} },
  });
  return { file: asked.uri, status: response.statusCode };
}

function builtSite() {
  const dir = mkdtempSync(join(tmpdir(), 'people-first-site-'));
  const binary = process.env.PEOPLE_FIRST_BIN;
  if (!binary) throw new Error('PEOPLE_FIRST_BIN is not set: run these tests with tests/run');
  execFileSync(binary, ['build-site', dir], { stdio: 'ignore' });
  const files = [];
  const walk = (folder) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push('/' + relative(dir, path));
    }
  };
  walk(dir);
  rmSync(dir, { recursive: true, force: true });
  return files;
}

test('every file of the built site is served as itself, and every page at its folder', () => {
  const files = builtSite();
  assert.ok(files.length > 40, `the site has its pages (${files.length} files)`);
  for (const file of files) {
    if (file.endsWith('/404.html') && file !== '/404.html') {
      assert.deepEqual(visit(file), { file, status: 404 }, file);
      continue;
    }
    assert.deepEqual(visit(file), { file, status: 200 }, file);
    if (file.endsWith('/index.html')) {
      const folder = file.slice(0, -'index.html'.length);
      assert.deepEqual(visit(folder), { file, status: 200 }, folder);
    }
  }
});

test('an unknown address gets the 404 page of its language, with status 404', () => {
  assert.deepEqual(visit('/uk/no-such-page/'), { file: '/uk/404.html', status: 404 });
  assert.deepEqual(visit('/de/privacy/old.html'), { file: '/de/404.html', status: 404 });
  assert.deepEqual(visit('/wp-login.php', { 'accept-language': 'ru-RU,ru;q=0.9' }), { file: '/ru/404.html', status: 404 });
  assert.deepEqual(visit('/xx/', {}), { file: '/en/404.html', status: 404 });
});

test('the home address sends each visitor to the best of the five languages', () => {
  assert.deepEqual(visit('/', { 'accept-language': 'de-CH,fr;q=0.8' }), { redirect: '/de/', status: 302 });
  assert.deepEqual(visit('/', { 'accept-language': 'pl,uk;q=0.5,ru;q=0.4' }), { redirect: '/uk/', status: 302 });
  assert.deepEqual(visit('/', {}), { redirect: '/en/', status: 302 });
});

test('no other address under /api/count can make a cache key of its own', () => {
  for (const uri of ['/api/count/x', '/api/count.json', '/api/countx', '/api/count.svg/']) {
    assert.equal(countLanguage(viewerRequest(uri)).statusCode, 404, uri);
  }
  assert.equal(countLanguage(viewerRequest('/api/count')).uri, '/api/count');
  assert.equal(countLanguage(viewerRequest('/api/count.svg')).uri, '/api/count.svg');
  assert.equal(countLanguage(viewerRequest('/api/count.html')).uri, '/api/count.html');
});

test("the count's table page is cached by language alone, whatever source is asked", () => {
  const key = countLanguage(viewerRequest('/api/count.html', {}, { lang: { value: 'uk' }, source: { value: 's07' } }));
  assert.deepEqual(JSON.parse(JSON.stringify(key.querystring)), { lang: { value: 'uk' } });
});

test('the count is cached under one of the five languages and nothing else', () => {
  // Through JSON: the function's objects belong to its own context.
  const keyOf = (querystring, headers = {}) =>
    JSON.parse(JSON.stringify(countLanguage(viewerRequest('/api/count.svg', headers, querystring)).querystring));
  assert.deepEqual(keyOf({ lang: { value: 'uk' } }), { lang: { value: 'uk' } });
  assert.deepEqual(keyOf({ lang: { value: 'DE' } }), { lang: { value: 'de' } });
  assert.deepEqual(keyOf({ lang: { value: 'x' + Math.random() } }), { lang: { value: 'en' } });
  assert.deepEqual(keyOf({}, { 'accept-language': 'ru' }), { lang: { value: 'en' } });
  assert.deepEqual(
    keyOf({ lang: { value: 'fr' }, cachebuster: { value: String(Date.now()) } }),
    { lang: { value: 'fr' } },
  );
});

test("a partner's count is cached under its code, and nothing else passes for one", () => {
  const keyOf = (querystring) =>
    JSON.parse(JSON.stringify(countLanguage(viewerRequest('/api/count', {}, querystring)).querystring));
  assert.deepEqual(keyOf({ source: { value: 'S07' }, lang: { value: 'uk' } }), {
    lang: { value: 'uk' },
    source: { value: 's07' },
  });
  assert.deepEqual(keyOf({ source: { value: 'telegram' } }), { lang: { value: 'en' }, source: { value: 'telegram' } });
  for (const made_up of ['<b>', 'a'.repeat(11), '', 'a b', 's07&x=1']) {
    assert.deepEqual(keyOf({ source: { value: made_up } }), { lang: { value: 'en' } }, made_up);
  }
});

test("the framed form is cached under its language, its partner's code and its step alone", () => {
  const keyOf = (querystring, method = 'GET') => {
    const event = viewerRequest('/api/frame', {}, querystring);
    event.request.method = method;
    return JSON.parse(JSON.stringify(frameQuery(event).querystring));
  };
  assert.deepEqual(keyOf({ partner: { value: 'S07' }, lang: { value: 'UK' }, step: { value: 'sent' } }), {
    lang: { value: 'uk' },
    partner: { value: 's07' },
    step: { value: 'sent' },
  });
  for (const made_up of ['<b>', 'a'.repeat(11), '', 's07&x=1']) {
    assert.deepEqual(keyOf({ partner: { value: made_up }, step: { value: 'x' } }), { lang: { value: 'en' } }, made_up);
  }
  assert.deepEqual(
    keyOf({ partner: { value: 's07' }, cachebuster: { value: String(Date.now()) } }),
    { lang: { value: 'en' }, partner: { value: 's07' } },
  );
  const posted = { partner: { value: 's07' }, lang: { value: 'de' } };
  assert.deepEqual(keyOf(posted, 'POST'), posted, 'the form is sent as it came');
});
