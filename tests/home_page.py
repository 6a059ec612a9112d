"""The bytes a visitor downloads for each language's home page, gzip -9 (the CDN may serve brotli,
smaller), and the files the pages fetch by themselves, which must all be the site's own.

usage: home_page.py SITE_DIR OUT_JSON"""

import gzip
import json
import pathlib
import re
import sys

site, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
languages = [
    line.strip()
    for line in (pathlib.Path(__file__).parent.parent / "locales/languages").read_text().splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def gz(path):
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


shared = sum(gz(site / f) for f in ("assets/site.css", "assets/site.js", "embed.js", "favicon.svg"))
pages = {lang: gz(site / lang / "index.html") for lang in languages}
# What a browser fetches by itself: scripts, images, stylesheets and icons.
fetched = set()
for lang in languages:
    html = (site / lang / "index.html").read_text()
    fetched.update(re.findall(r'src="([^"]*)"|<link rel="(?:stylesheet|icon)" href="([^"]*)"', html))
fetched = {a or b for a, b in fetched}
elsewhere = sorted(f for f in fetched if re.match(r"(https?:)?//", f))

report = {
    "shared_bytes": shared,
    "html_bytes": pages,
    "total_bytes": {lang: html + shared for lang, html in pages.items()},
    "files_fetched": len(fetched),
    "from_another_host": len(elsewhere),
}
out.write_text(json.dumps(report, indent=2) + "\n")
print(f"  {'lang':<4} {'html':>8} {'css+js':>8} {'total':>8}")
for lang, html in pages.items():
    print(f"  {lang:<4} {html:>8} {shared:>8} {html + shared:>8}")
print(f"  files the home pages fetch: {len(fetched)}, from another host: {len(elsewhere)} (gzip -9)")
