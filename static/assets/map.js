// The world map of confirmed signatures: each country the count shows apart is shaded by how
// many signed there, and listed in the table beside the map, the most first. Countries under the
// count's small-number rule are never shown apart: the count gives only their total.
(function () {
  'use strict';
  var map = document.querySelector('[data-people-first-map]');
  if (!map || !window.fetch) return;
  var names = JSON.parse(map.getAttribute('data-names'));
  var lang = document.documentElement.lang;
  var rows = document.querySelector('[data-people-first-map-rows]');
  var others = document.querySelector('[data-people-first-map-others]');
  var number = new Intl.NumberFormat(lang);
  // Five shades, on a logarithmic scale up to the country with the most signatures.
  var SHADES = 5;

  function shade(count, most) {
    if (most <= 1) return SHADES;
    var step = Math.ceil(Math.log(count + 1) / Math.log(most + 1) * SHADES);
    return Math.max(1, Math.min(SHADES, step));
  }

  function cell(tag, text) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (tag === 'th') element.scope = 'row';
    return element;
  }

  function show(count) {
    var countries = Object.keys(count.countries).map(function (code) {
      return { code: code, confirmed: count.countries[code] };
    });
    countries.sort(function (a, b) { return b.confirmed - a.confirmed || (a.code < b.code ? -1 : 1); });
    var most = countries.length ? countries[0].confirmed : 0;
    map.querySelectorAll('path[data-shade]').forEach(function (path) { path.removeAttribute('data-shade'); });
    rows.textContent = '';
    countries.forEach(function (country) {
      map.querySelectorAll('path[data-country="' + country.code + '"]').forEach(function (path) {
        path.setAttribute('data-shade', String(shade(country.confirmed, most)));
      });
      var row = document.createElement('tr');
      row.appendChild(cell('th', names[country.code] || country.code));
      row.appendChild(cell('td', number.format(country.confirmed)));
      rows.appendChild(row);
    });
    others.textContent = number.format(count.other_countries || 0);
    others.closest('tfoot').hidden = !count.other_countries;
  }

  function load() {
    fetch('/api/count', { headers: { accept: 'application/json' } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (count) { if (count) { latest = count; show(count); } })
      .catch(function () {});
  }

  // The borders come after the page, which shows the table meanwhile; the count shades them
  // once both are in.
  var latest = null;
  function draw() {
    fetch('/assets/world-map.svg')
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (svg) {
        if (!svg) return;
        var place = map.querySelector('[data-people-first-map-place]');
        var drawn = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
        if (drawn.nodeName !== 'svg') return;
        place.replaceWith(document.importNode(drawn, true));
        if (latest) show(latest);
      })
      .catch(function () {});
  }
  // Once the page has loaded: the text and the table come first on a slow connection.
  if (document.readyState === 'complete') draw();
  else window.addEventListener('load', draw);

  load();
  // The CDN keeps the count ten seconds; a map a minute old is live enough, at a sixth of the
  // requests.
  setInterval(function () { if (!document.hidden) load(); }, 60000);
})();
