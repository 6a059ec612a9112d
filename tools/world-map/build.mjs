// Builds the site's world map, static/assets/world-map.svg, from Natural Earth's borders as
// the world-atlas package ships them (public domain), with Ukraine in its internationally
// recognised borders (UN General Assembly resolution 68/262): Natural Earth draws the world as
// it is controlled, Crimea inside Russia, and this moves Crimea back into Ukraine, dissolving the
// line between them. Northern Cyprus and Somaliland, drawn apart there, go back into Cyprus and
// Somalia, as the UN recognises them.
//
// `node build.mjs` writes the map; `node build.mjs --check` fails if the committed one differs
// from what the packages build, so the map always is what this script makes of them.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoContains, geoEqualEarth, geoPath } from 'd3-geo';
import { feature, mergeArcs } from 'topojson-client';
import { presimplify, simplify, sphericalTriangleArea } from 'topojson-simplify';
import countries from 'i18n-iso-countries';

const require = createRequire(import.meta.url);
const OUTPUT = new URL('../../static/assets/world-map.svg', import.meta.url);
// The 1:50m borders keep small countries (Malta, Luxembourg, Singapore) the 1:110m ones drop.
const SOURCE = require.resolve('world-atlas/countries-50m.json');
// Points whose triangle with their neighbours covers less than this (in steradians) are dropped:
// the map's stated weight, which keeps it near 124 KB of SVG (about 40 KB compressed).
const MIN_WEIGHT = 3e-5;
const WIDTH = 960;
// Coordinates to a tenth of a pixel.
const DIGITS = 1;
// Antarctica has no signers to shade and would take a fifth of the height.
const LEFT_OUT = new Set(['010']);
const SIMFEROPOL = [34.1, 44.95];

const topology = JSON.parse(readFileSync(SOURCE, 'utf8'));
const geometries = topology.objects.countries.geometries;
const byId = (id) => geometries.find((g) => g.id === id);
const byName = (name) => geometries.find((g) => g.properties.name === name);

/** Moves the polygons of `from` that `belongs` picks into `into`, as one shape. */
function moveInto(into, from, belongs) {
  const polygons = from.type === 'MultiPolygon' ? from.arcs : [from.arcs];
  const moved = polygons.filter((arcs) => belongs({ type: 'Polygon', arcs }));
  if (moved.length === 0) throw new Error(`nothing of ${from.properties.name} to move`);
  const kept = polygons.filter((arcs) => !moved.includes(arcs));
  const merged = mergeArcs(topology, [into, ...moved.map((arcs) => ({ type: 'Polygon', arcs }))]);
  Object.assign(into, { type: merged.type, arcs: merged.arcs });
  if (kept.length === 0) geometries.splice(geometries.indexOf(from), 1);
  else Object.assign(from, { type: 'MultiPolygon', arcs: kept });
}

const ukraine = byId('804');
moveInto(ukraine, byId('643'), (polygon) => geoContains(feature(topology, polygon), SIMFEROPOL));
moveInto(byId('196'), byName('N. Cyprus'), () => true);
moveInto(byId('706'), byName('Somaliland'), () => true);

const simplified = simplify(presimplify(topology, sphericalTriangleArea), MIN_WEIGHT);
const shapes = feature(simplified, simplified.objects.countries).features
  .filter((f) => !LEFT_OUT.has(f.id));
const world = { type: 'FeatureCollection', features: shapes };
const projection = geoEqualEarth().fitWidth(WIDTH, world);
const path = geoPath(projection).digits(DIGITS);
const [[, top], [, bottom]] = path.bounds(world);
const height = Math.ceil(bottom + top);
const [x, y] = projection.translate();

const paths = shapes
  .map((shape) => ({ code: shape.id ? countries.numericToAlpha2(shape.id) : undefined, d: path(shape) }))
  .filter((shape) => shape.d)
  .sort((a, b) => (a.code ?? '~').localeCompare(b.code ?? '~') || a.d.localeCompare(b.d))
  .map(({ code, d }) => (code ? `<path data-country="${code}" d="${d}"/>` : `<path d="${d}"/>`));

// The projection is written on the map, so a test can find any place on it.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" class="world-map" viewBox="0 0 ${WIDTH} ${height}" aria-hidden="true" focusable="false" \
data-projection="equal-earth" data-scale="${projection.scale()}" data-translate="${x} ${y}">
${paths.join('\n')}
</svg>
`;

if (process.argv.includes('--check')) {
  if (readFileSync(OUTPUT, 'utf8') !== svg) {
    console.error('static/assets/world-map.svg is not what tools/world-map builds: run npm run build there');
    process.exit(1);
  }
} else {
  writeFileSync(OUTPUT, svg);
  console.log(`${paths.length} countries, ${svg.length} bytes`);
}
