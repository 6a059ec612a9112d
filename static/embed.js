/* People First live counter for partner sites. One tag and one element:
     <script src="https://…/embed.js" async></script>
     <div data-people-first-count data-lang="en" data-goal="100000" data-source="CODE"></div>
   data-source (optional): the partner's code, to show its own signatures beside the total.
   No dependency, no cookie, nothing sent but the request for the count. */
(() => {
  'use strict';
  const STRINGS = {{ strings | tojson }};
  const PERIOD = {{ period_ms }};
  const QUIET = 60000;
  const script = document.currentScript;
  const base = script ? script.src : location.href;
  const sheet = `:host{display:block;font:inherit;color:var(--people-first-text,inherit)}
p{margin:.25em 0}strong{font-size:1.6em;color:var(--people-first-accent,currentColor)}
.bar{height:.6em;border-radius:.3em;overflow:hidden;background:var(--people-first-track,rgba(127,127,127,.25))}
.fill{height:100%;width:0;background:var(--people-first-accent,currentColor);transition:width .6s}
.quiet{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;
  const widgets = [];
  let timer = 0;

  function el(tag, cls, parent) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    parent.appendChild(node);
    return node;
  }

  function mount(host) {
    const lang = STRINGS[host.dataset.lang] ? host.dataset.lang : 'en';
    const words = STRINGS[lang];
    const goal = Math.max(1, parseInt(host.dataset.goal, 10) || 0);
    const root = host.attachShadow({ mode: 'open' });
    if (root.adoptedStyleSheets !== undefined) {
      const css = new CSSStyleSheet();
      css.replaceSync(sheet);
      root.adoptedStyleSheets = [css];
    }
    const line = el('p', 'count', root);
    const bar = el('div', 'bar', root);
    const fill = el('div', 'fill', bar);
    const target = el('p', 'goal', root);
    const here = el('p', 'here', root);
    const live = el('p', 'quiet', root);
    live.setAttribute('aria-live', 'polite');
    line.setAttribute('aria-hidden', 'true');
    const number = new Intl.NumberFormat(lang);
    const plural = new Intl.PluralRules(lang);
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', String(goal));
    bar.setAttribute('aria-label', words.name);
    target.textContent = words.goal.replace('{}', number.format(goal));
    const api = new URL('/api/count', base);
    if (/^[a-z0-9]{1,10}$/i.test(host.dataset.source || '')) api.searchParams.set('source', host.dataset.source);
    widgets.push({ api: api.href, lang, words, goal, line, bar, fill, here, live, number, plural, said: -1, saidAt: 0 });
  }

  function show(w, total, source) {
    // A partner's own count, when it is above the small-number rule.
    const mine = source && source.confirmed !== null ? w.number.format(source.confirmed) : '';
    w.here.textContent = mine ? w.words.here.replace('{}', mine) : '';
    const text = (w.words[w.plural.select(total)] || w.words.other).split('{}');
    w.line.textContent = '';
    w.line.append(text[0]);
    el('strong', '', w.line).textContent = w.number.format(total);
    w.line.append(text.slice(1).join(''));
    w.bar.setAttribute('aria-valuenow', String(total));
    w.fill.style.width = Math.min(100, (100 * total) / w.goal) + '%';
    // Screen readers hear the count when it first arrives, then at most once a minute.
    const now = Date.now();
    if (total !== w.said && (w.said < 0 || now - w.saidAt > QUIET)) {
      w.live.textContent = w.line.textContent;
      w.said = total;
      w.saidAt = now;
    }
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      for (const api of new Set(widgets.map((w) => w.api))) {
        const answer = await fetch(api, { credentials: 'omit' });
        if (answer.ok) {
          const count = await answer.json();
          widgets.filter((w) => w.api === api).forEach((w) => show(w, count.total, count.source));
        }
      }
    } catch (e) {
      /* The next poll tries again. */
    }
    if (!document.hidden) timer = setTimeout(refresh, PERIOD);
  }

  function start() {
    document.querySelectorAll('[data-people-first-count]').forEach(mount);
    if (widgets.length) refresh();
  }

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clearTimeout(timer);
    else if (widgets.length) refresh();
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
