"""The bytes a visitor downloads for each language's home page, gzip -9 (the CDN may serve brotli,
smaller), and the files the pages fetch by themselves, which must all be the site's own; the same
for the map of signatures, which has a page of its own so the home page carries no map; with a
running stack's address, the same for the sign form a partner's page frames, as its function
answers it.

usage: home_page.py SITE_DIR OUT_JSON [STACK_URL]"""

import gzip
import json
import pathlib
import re
import sys
import urllib.request

site, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
languages = [
    line.strip()
    for line in (pathlib.Path(__file__).parent.parent / "locales/languages").read_text().splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def gz(path):
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def gz_bytes(data):
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def fetched_by(html):
    """What a browser fetches by itself from a page: scripts, images, stylesheets and icons."""
    found = re.findall(r'src="([^"]*)"|<link rel="(?:stylesheet|icon)" href="([^"]*)"', html)
    return {(a or b).replace("&#x2f;", "/") for a, b in found}


def frames(stack):
    """Each language's framed form of the first supporter, and what it fetches, all over HTTP."""
    def get(path):
        with urllib.request.urlopen(stack + path, timeout=10) as answer:
            return answer.read()
    weights, elsewhere = {}, set()
    for lang in languages:
        html = get(f"/api/frame?partner=s01&lang={lang}")
        files = fetched_by(html.decode())
        elsewhere |= {f for f in files if re.match(r"(https?:)?//", f)}
        weights[lang] = gz_bytes(html) + sum(gz_bytes(get(f)) for f in files if f.startswith("/"))
    return {"total_bytes": weights, "from_another_host": len(elsewhere)}


shared = sum(gz(site / f) for f in ("assets/site.css", "assets/site.js", "embed.js", "favicon.svg"))
pages = {lang: gz(site / lang / "index.html") for lang in languages}
fetched = set()
for lang in languages:
    fetched |= fetched_by((site / lang / "index.html").read_text())
elsewhere = sorted(f for f in fetched if re.match(r"(https?:)?//", f))

def map_pages():
    """Each language's map page, with the files it fetches from the site."""
    weights, elsewhere = {}, set()
    for lang in languages:
        page = site / lang / "map" / "index.html"
        files = fetched_by(page.read_text())
        elsewhere |= {f for f in files if re.match(r"(https?:)?//", f)}
        # The borders, which the page's script fetches.
        files.add("/assets/world-map.svg")
        weights[lang] = gz(page) + sum(gz(site / f.lstrip("/")) for f in files if f.startswith("/")
                                       and not f.startswith("/api/"))
    return {"total_bytes": weights, "from_another_host": len(elsewhere)}


report = {
    "shared_bytes": shared,
    "html_bytes": pages,
    "total_bytes": {lang: html + shared for lang, html in pages.items()},
    "files_fetched": len(fetched),
    "from_another_host": len(elsewhere),
    "map": map_pages(),
}
if len(sys.argv) > 3:
    report["frame"] = frames(sys.argv[3].rstrip("/"))
out.write_text(json.dumps(report, indent=2) + "\n")
print(f"  {'lang':<4} {'html':>8} {'css+js':>8} {'total':>8}")
for lang, html in pages.items():
    print(f"  {lang:<4} {html:>8} {shared:>8} {html + shared:>8}")
print(f"  files the home pages fetch: {len(fetched)}, from another host: {len(elsewhere)} (gzip -9)")
print("  the map page, with what it fetches: "
      + ", ".join(f"{lang} {size}" for lang, size in report["map"]["total_bytes"].items())
      + f"; from another host: {report['map']['from_another_host']} (gzip -9)")
if "frame" in report:
    weights = report["frame"]["total_bytes"]
    print("  the framed sign form, with what it fetches: "
          + ", ".join(f"{lang} {size}" for lang, size in weights.items())
          + f"; from another host: {report['frame']['from_another_host']} (gzip -9)")
