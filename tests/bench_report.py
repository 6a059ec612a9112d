"""The benchmarks' figures, from the parts `tests/bench` writes to the tables people read.

  bench_report.py merge OUT CRITERION PRICES
      merges the parts in OUT (target/bench) and criterion's estimates into OUT/results.json,
      prices a million confirmed signatures, and prints one table against the budget; a missing
      part is named, and the others' figures are kept.
  bench_report.py publish OUT
      copies OUT/results.json to BENCHMARKS.json and renders BENCHMARKS.md's tables from it;
      refuses the results of a run that missed a part.
  bench_report.py render
      renders BENCHMARKS.md's tables again from the committed BENCHMARKS.json.
  bench_report.py check
      fails when BENCHMARKS.md's tables are not what BENCHMARKS.json renders (tests/run).
  bench_report.py sizes BUILD
      fails when a function's bootstrap, as `sam build` made it in BUILD, passes its budget
      (tests/run): the size Lambda loads, not the size of a build of our own.

Every figure in BENCHMARKS.md's tables comes from here: the document cannot say what the code no
longer does."""

import datetime
import json
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCUMENT, RESULTS = ROOT / "BENCHMARKS.md", ROOT / "BENCHMARKS.json"

# The budget of ../DESIGN's table, as the figures are judged. publish runs on a schedule: no
# person waits on its start, its deadline is the minute between runs, and it carries the site's
# renderer and two more AWS clients, so it has a budget of its own.
COLD_START_MS, COLD_START_TLS_MS, BINARY_BYTES, PEAK_RSS_BYTES = 20, 30, 6_000_000, 24_000_000
SCHEDULED = {"publish": (100, 100, 8_000_000, 64_000_000)}
SPIKE_PER_S, SPIKE_RATIO, SPIKE_P99_MS = 10_000, 0.35, 50
# SES reviews an account at 5 % bounces and pauses it near 10 %: the design keeps under 2 %.
BOUNCE_RATE = 0.02
# A launch's confirmations are never slowed by an update waiting to be sent.
UPDATE_P99_RATIO = 1.01
SIGN_TIMING_ACCURACY = 0.55
COUNT_VISIBLE_MS, HOME_PAGE_BYTES, FRAME_BYTES = 1_000, 40_000, 15_000


def load(path):
    return json.loads(pathlib.Path(path).read_text())


def criterion_medians(directory):
    """Each criterion benchmark's median, in nanoseconds, by group and name."""
    medians = {}
    for found in sorted(pathlib.Path(directory).glob("**/new/benchmark.json")):
        about = load(found)
        estimate = load(found.parent / "estimates.json")
        group = medians.setdefault(about["group_id"], {})
        name = about["function_id"] or about["value_str"] or ""
        if about.get("value_str") and about["function_id"]:
            name = f"{about['function_id']} {about['value_str']}"
        group[name] = estimate["median"]["point_estimate"]
    return medians


def price(prices, results):
    """Dollars per million confirmed signatures, line by line, from measured quantities."""
    measured = {
        "wcu_per_signature": results.get("wcu", {}).get("per_signature"),
        "home_page_bytes": max(results.get("home_page", {}).get("total_bytes", {}).values(), default=None),
    }
    lines, total = [], 0.0
    for line in prices["lines"]:
        quantity = line["per_signature"]
        if isinstance(quantity, str):
            quantity = measured[quantity.removeprefix("measured:")]
            if quantity is None:
                return None
        dollars = round(quantity * 1e6 * line["price"] + line.get("monthly", 0.0), 2)
        total += dollars
        lines.append({**line, "per_signature": quantity, "dollars": dollars})
    return {"date": prices["date"], "region": prices["region"], "lines": lines, "total": round(total, 2)}


def merge(out, criterion, prices_path):
    out = pathlib.Path(out)
    parts = {}
    missing = []
    for name in ("functions", "counter", "spike", "mail", "count_visible", "home_page", "sign_timing"):
        try:
            parts[name] = load(out / f"{name}.json")
        except (OSError, ValueError):
            missing.append(name)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False)
    results = {
        "measured_on": datetime.date.today().isoformat(),
        "commit": commit.stdout.strip() or "unknown",
        "missing": missing,
    }
    if "functions" in parts:
        results["functions"] = parts["functions"]["functions"]
        results["floor"] = parts["functions"]["floor"]
    if "spike" in parts:
        results["spike"] = parts["spike"]
    if "counter" in parts:
        counter = parts["counter"]
        results["wcu"] = {
            "per_signature": counter["wcu_per_signature"],
            "budget": counter["wcu_budget"],
            "by_batch": counter["by_batch"],
            "by_kind": counter["by_kind"],
        }
        results["aggregate"] = {
            "ns_per_record": counter["aggregate_ns_per_record"],
            "floor_ns_per_record": counter["aggregate_floor_ns_per_record"],
        }
    if "mail" in parts:
        results["mail"] = parts["mail"]["mail"]
    if "count_visible" in parts:
        results["count_visible"] = parts["count_visible"]
    if "home_page" in parts:
        results["home_page"] = parts["home_page"]
    if "sign_timing" in parts:
        results["privacy"] = {"sign_timing": sign_timing(parts["sign_timing"])}
    results["durations"] = durations(out)
    handlers = criterion_medians(criterion) if pathlib.Path(criterion).is_dir() else {}
    if handlers:
        results["handlers"] = handlers
    else:
        missing.append("handlers")
    results["cost"] = price(load(prices_path), results)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(render_table(budget_rows(results), verdicts=True))
    missed = [r[0] for r in budget_rows(results) if r[4] is False]
    print(f"\n{out / 'results.json'} written; "
          + (f"{len(missed)} figure(s) miss the budget" if missed else "every figure measured meets the budget")
          + (f"; not measured: {', '.join(missing)}" if missing else ""))


def sign_timing(part):
    """Each outcome's times on both paths, and the best classifier between any two outcomes."""
    paths = ("lambda", "local")
    timing = {outcome: {f"{path}_{figure}": part[path]["outcomes"][outcome][figure]
                        for path in paths for figure in ("p50_ms", "p99_ms")}
              for outcome in part["lambda"]["outcomes"]}
    worst = max(paths, key=lambda path: part[path]["max_accuracy"])
    timing["max_accuracy"] = part[worst]["max_accuracy"]
    timing["worst"] = {"path": worst, "pair": part[worst]["worst_pair"]}
    timing["by_path"] = {path: {"max_accuracy": part[path]["max_accuracy"], "worst_pair": part[path]["worst_pair"]}
                         for path in paths}
    timing["per_outcome"] = part["per_outcome"]
    return timing


# --- the tables ------------------------------------------------------------------------------

def n(value, digits=0):
    return f"{value:,.{digits}f}"


def mb(value):
    return f"{value / 1e6:.2f} MB"


def function_budget(name):
    return SCHEDULED.get(name, (COLD_START_MS, COLD_START_TLS_MS, BINARY_BYTES, PEAK_RSS_BYTES))


def budget_rows(r):
    """(figure, measured, floor, budget, verdict): None where there is no budget."""
    rows = []
    floor = r.get("floor", {})
    for name, f in r.get("functions", {}).items():
        cold, tls, size, rss = function_budget(name)
        plain, secure = f["cold_start"], f["cold_start_tls"]
        rows += [
            (f"{name}: cold start, own time", f"{plain['own_ms']:.1f} ms (of {plain['total_ms']:.1f}; emulator {plain['emulator_ms']:.1f})",
             f"{floor['cold_start_ms']:.1f} ms", f"≤ {cold} ms", plain["own_ms"] <= cold),
            (f"{name}: the same with TLS", f"{secure['own_ms']:.1f} ms (of {secure['total_ms']:.1f}; emulator {secure['emulator_ms']:.1f})",
             "", f"≤ {tls} ms", secure["own_ms"] <= tls),
            (f"{name}: binary", mb(f["binary_bytes"]), mb(floor["binary_bytes"]), f"≤ {size / 1e6:.0f} MB",
             f["binary_bytes"] <= size),
            (f"{name}: peak RSS", mb(f["peak_rss_bytes"]), "", f"≤ {rss / 1e6:.0f} MB", f["peak_rss_bytes"] <= rss),
        ]
    if "spike" in r:
        s = r["spike"]
        ratio = s["signs_per_s"] / s["floor_per_s"]
        rows += [
            ("spike: signatures/s", n(s["signs_per_s"]), n(s["floor_per_s"]), f"≥ {n(SPIKE_PER_S)}",
             s["signs_per_s"] >= SPIKE_PER_S),
            ("spike: ratio to the floor", f"{ratio:.2f}", "", f"≥ {SPIKE_RATIO}", ratio >= SPIKE_RATIO),
            ("spike: p50 / p99 / max", f"{s['p50_ms']:.1f} / {s['p99_ms']:.1f} / {s['max_ms']:.1f} ms",
             f"p99 {s['floor_p99_ms']:.1f} ms", f"p99 ≤ {SPIKE_P99_MS} ms", s["p99_ms"] <= SPIKE_P99_MS),
            ("spike: errors", str(s["errors"]), "", "0", s["errors"] == 0),
            ("spike: count exact", "yes" if s["count_exact"] else "no", "", "yes", s["count_exact"]),
        ]
    if "count_visible" in r:
        c = r["count_visible"]
        rows.append(("one confirmation → visible in /api/count, locally", f"{c['visible_ms']:.1f} ms",
                     f"{c['floor_ms']:.1f} ms", f"≤ {n(COUNT_VISIBLE_MS)} ms", c["visible_ms"] <= COUNT_VISIBLE_MS))
    if "wcu" in r:
        w = r["wcu"]
        rows.append(("DynamoDB write units per confirmed signature", f"{w['per_signature']:.3f}", "",
                     f"≤ {w['budget']}", w["per_signature"] <= w["budget"]))
    if "home_page" in r:
        h = r["home_page"]
        totals = h["total_bytes"].values()
        rows.append(("home page, all bytes, gzip", (f"{min(totals) / 1e3:.1f}–{max(totals) / 1e3:.1f} KB, "
                     f"{h['from_another_host']} from another host"), "", f"≤ {HOME_PAGE_BYTES // 1000} KB, none",
                     max(totals) <= HOME_PAGE_BYTES and h["from_another_host"] == 0))
        if "frame" in h:
            f = h["frame"]
            framed = f["total_bytes"].values()
            rows.append(("the sign form framed on a partner's page, all bytes, gzip",
                         (f"{min(framed) / 1e3:.1f}–{max(framed) / 1e3:.1f} KB, "
                          f"{f['from_another_host']} from another host"), "", f"≤ {FRAME_BYTES // 1000} KB, none",
                         max(framed) <= FRAME_BYTES and f["from_another_host"] == 0))
        if "map" in h:
            m = h["map"]
            maps = m["total_bytes"].values()
            rows.append(("the map of signatures, its own page, with its borders, all bytes, gzip",
                         (f"{min(maps) / 1e3:.1f}–{max(maps) / 1e3:.1f} KB, "
                          f"{m['from_another_host']} from another host"), "", "none from another host",
                         m["from_another_host"] == 0))
    for quota, m in launches(r):
        faulty = m["with_faults"]
        rows += [
            (f"a launch's email at {quota}/s: p99 signing → SES", f"{n(m['p99_s'], 1)} s", "",
             f"≤ {n(m['budget_p99_s'])} s", m["p99_s"] <= m["budget_p99_s"]),
            ("the same, lost / sent twice", f"{m['lost']} / {m['duplicates']}", "", "0 / 0",
             m["lost"] == 0 and m["duplicates"] == 0),
            ("the same with 5 % of SES calls failing: p99, lost", f"{n(faulty['p99_s'], 1)} s, {faulty['lost']}", "",
             "none lost", faulty["lost"] == 0),
        ]
    if "with_update" in r.get("mail", {}):
        u = r["mail"]["with_update"]
        rows += [
            ((f"a launch's email at {n(u['quota_per_s'])}/s while an update of {n(u['update_signers'])} waits: "
              "p99 signing → SES"), f"{n(u['p99_s'], 1)} s (ratio {u['p99_ratio']:.3f})",
             f"{n(u['alone_p99_s'], 1)} s alone", f"ratio ≤ {UPDATE_P99_RATIO}", u["p99_ratio"] <= UPDATE_P99_RATIO),
            ("the same, update emails sent during the launch / all of them sent after",
             f"{n(u['update_sent_during_launch'])} / {n(u['update_done_after_s'])} s", "", "0 / all sent",
             u["update_sent_during_launch"] == 0 and u["update_sent"] == u["update_signers"]),
        ]
    if "attack" in r.get("mail", {}):
        a = r["mail"]["attack"]
        rows += [
            ("a bounce flood: bounce rate, as SES computes it", f"{a['bounce_rate'] * 100:.2f} %", "",
             f"< {BOUNCE_RATE * 100:.0f} %", a["bounce_rate"] < BOUNCE_RATE),
            ("the same, worst 1,000 sends", f"{a['worst_window_bounce_rate'] * 100:.2f} %", "",
             f"< {BOUNCE_RATE * 100:.0f} %", a["worst_window_bounce_rate"] < BOUNCE_RATE),
            ("the same, real signers never mailed", n(a["real_lost"]), "", "0", a["real_lost"] == 0),
        ]
    if "daily_quota" in r.get("mail", {}):
        d = r["mail"]["daily_quota"]
        rows += [
            ((f"a spent daily quota ({n(d['signers'])} signers, {n(d['daily_quota'])} a day): sent on "
             "the first quota day / the second"), f"{n(d['sent_day_1'])} / {n(d['sent_day_2'])}", "",
             "all by the second", d["sent_day_1"] + d["sent_day_2"] == d["signers"]),
            ("the same, to the failure queue / never mailed", f"{d['to_failure_queue']} / {d['lost']}", "",
             "0 / 0", d["to_failure_queue"] == 0 and d["lost"] == 0),
        ]
    if "privacy" in r:
        t = r["privacy"]["sign_timing"]
        rows.append(("signing's answer time: best classifier between two outcomes",
                     f"{t['max_accuracy']:.3f} ({t['worst']['path']}: {' / '.join(t['worst']['pair'])})",
                     "0.5 (chance)", f"≤ {SIGN_TIMING_ACCURACY}", t["max_accuracy"] <= SIGN_TIMING_ACCURACY))
    if r.get("cost"):
        rows.append(("a million confirmed signatures, all in", f"${n(r['cost']['total'])}", "",
                     f"stated ({r['cost']['region']}, prices of {r['cost']['date']})", None))
    return rows


def render_table(rows, verdicts=False):
    verdict = {True: "meets", False: "MISSES", None: ""}
    header = ("figure", "measured", "floor", "budget") + (("",) if verdicts else ())
    lines = [header] + [r[:4] + ((verdict[r[4]],) if verdicts else ()) for r in rows]
    if verdicts:
        widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
        return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines)
    return markdown(header[:4], [r[:3] + (r[3] + (" — **missed**" if r[4] is False else ""),) for r in rows])


def markdown(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def functions_table(r):
    ms = lambda s: [f"{s[k]:.1f}" for k in ("total_ms", "init_ms", "first_invocation_ms", "emulator_ms")] + [f"**{s['own_ms']:.1f}**"]
    floor = r["floor"]
    rows = [["floor (hello)", f"{floor['cold_start_ms']:.1f}", "", "", "", "", "", "", "", "", "",
             mb(floor["binary_bytes"]), mb(floor["peak_rss_bytes"])]]
    for name, f in r["functions"].items():
        rows.append([name] + ms(f["cold_start"]) + ms(f["cold_start_tls"]) + [mb(f["binary_bytes"]), mb(f["peak_rss_bytes"])])
    header = ["function", "plain: total", "init", "first", "emulator", "**own**",
              "TLS: total", "init", "first", "emulator", "**own**", "binary", "peak RSS"]
    return markdown(header, rows)


def handlers_table(r):
    rows = []
    for group, benches in r["handlers"].items():
        for name, ns in benches.items():
            figure = f"{ns:,.0f} ns" if ns < 1000 else f"{ns / 1e3:.2f} µs"
            rows.append((group, name, figure))
    return markdown(("group", "work", "median"), rows)


def spike_table(r):
    s = r["spike"]
    return markdown(("figure", "measured", "floor"), [
        ("signatures per second", n(s["signs_per_s"]), f"{n(s['floor_per_s'])} (ratio {s['signs_per_s'] / s['floor_per_s']:.2f})"),
        ("latency p50 / p99 / max", f"{s['p50_ms']:.1f} / {s['p99_ms']:.1f} / {s['max_ms']:.1f} ms", f"p99 {s['floor_p99_ms']:.1f} ms"),
        ("errors", str(s["errors"]), ""),
        ("confirmations per second", n(s["confirms_per_s"]), ""),
        ("count exact after the spike", "yes" if s["count_exact"] else "no", ""),
        ("last confirmation → visible in `/api/count`", f"{s['count_visible_s']:.1f} s", ""),
    ])


def launches(r):
    """The launches by quota, in order: every figure of `mail` but the attack's, the update's
    and the quota day's."""
    return sorted(((q, m) for q, m in r.get("mail", {}).items() if q.isdigit()), key=lambda item: int(item[0]))


def attack_table(r):
    a = r["mail"]["attack"]
    rows = [
        ("real signers, and random addresses of the attacker", f"{n(a['real'])} and {n(a['attackers'])}, over the same hour"),
        ("SES's sending rate", f"{n(a['quota_per_s'])} emails/s"),
        ("emails SES accepted", n(a["sent"])),
        ("of which to the attacker's addresses", n(a["attacker_sent"])),
        ("bounce rate, over everything sent", f"{a['bounce_rate'] * 100:.2f} %"),
        ("bounce rate, worst 1,000 consecutive sends", f"{a['worst_window_bounce_rate'] * 100:.2f} %"),
        ("real signers: p99 from signing to SES accepting", f"{n(a['real_p99_s'], 1)} s"),
        ("real signers never mailed", n(a["real_lost"])),
    ]
    return markdown(("figure", "measured"), rows)


def mail_table(r):
    rows = []
    for quota, m in launches(r):
        for faults, f in (("none", m), ("5 %", m["with_faults"])):
            rows.append((f"{n(int(quota))}/s", faults, f"{n(f['p50_s'], 1)} s", f"{n(f['p99_s'], 1)} s",
                         f"{n(f['max_s'], 1)} s", f"{n(m['budget_p99_s'])} s", n(f["throttled"]), n(f["lost"]),
                         n(f["duplicates"])))
    return markdown(("quota", "faults", "p50", "p99", "max", "budget (p99)", "throttled", "lost", "sent twice"), rows)


def counter_table(r):
    w, a = r["wcu"], r["aggregate"]
    rows = [(f"write units per confirmed signature, stream batches of {batch}", f"{units:.3f}")
            for batch, units in w["by_batch"].items()]
    rows += [(f"of which {kind}", f"{units:.3f}") for kind, units in w["by_kind"].items()]
    rows.append(("the aggregate handler, per record", (f"{a['ns_per_record'] / 1e3:.1f} µs "
                 f"(reading the event alone: {a['floor_ns_per_record'] / 1e3:.1f} µs, ratio {a['ns_per_record'] / a['floor_ns_per_record']:.2f})")))
    return markdown(("figure", "measured"), rows)


def home_page_table(r):
    h = r["home_page"]
    languages = list(h["html_bytes"])
    return markdown([""] + languages, [["HTML"] + [n(h["html_bytes"][l]) for l in languages],
                                       ["total"] + [n(h["total_bytes"][l]) for l in languages]]) + (
        f"\n\nFiles a home page fetches: {h['files_fetched']}, from another host: {h['from_another_host']}."
        + ("\n\nThe sign form framed on a partner's page, with the files it fetches: "
           + ", ".join(f"{lang} {n(size)}" for lang, size in h["frame"]["total_bytes"].items()) + " bytes."
           if "frame" in h else "")
        + ("\n\nThe map page, with the files it fetches (its borders are most of it): "
           + ", ".join(f"{lang} {n(size)}" for lang, size in h["map"]["total_bytes"].items()) + " bytes."
           if "map" in h else ""))


def privacy_table(r):
    t = r["privacy"]["sign_timing"]
    outcomes = [o for o in t if isinstance(t[o], dict) and "lambda_p50_ms" in t[o]]
    rows = [(o.replace("_", " "), f"{t[o]['lambda_p50_ms']:.1f} / {t[o]['lambda_p99_ms']:.1f} ms",
             f"{t[o]['local_p50_ms']:.1f} / {t[o]['local_p99_ms']:.1f} ms") for o in outcomes]
    rows.append(("best single-threshold classifier between two outcomes",
                 f"{t['by_path']['lambda']['max_accuracy']:.3f} ({' / '.join(t['by_path']['lambda']['worst_pair'])})",
                 f"{t['by_path']['local']['max_accuracy']:.3f} ({' / '.join(t['by_path']['local']['worst_pair'])})"))
    return markdown((f"outcome ({n(t['per_outcome'])} requests each, interleaved)",
                     "sign function, Runtime API: p50 / p99", "local stack: p50 / p99"), rows)


def scaled(quantity, unit):
    """A million signatures' quantity as people read it: 16.4 G bytes, 3 M requests."""
    for factor, prefix in ((1e9, "G "), (1e6, "M "), (1e3, "k "), (1, "")):
        if quantity >= factor:
            return f"{quantity / factor:,.3g} {prefix}{unit}s"
    return f"{quantity:.3g} {unit}s"


def durations(out):
    """How long this tests/bench took, part by part, and the last tests/run of the same clone."""
    parts = []
    timing = pathlib.Path(out) / "timing.tsv"
    if timing.exists():
        for line in timing.read_text().splitlines():
            seconds, name = line.split("\t", 1)
            parts.append({"part": name, "seconds": int(seconds)})
    try:
        test_run = load(ROOT / "target" / "run.json")
    except (OSError, ValueError):
        test_run = None
    return {"bench_parts": parts, "test_run": test_run}


def durations_table(r):
    d = r.get("durations")
    if not d:
        return "Not measured in this run."
    rows = [(f"tests/bench: {p['part']}", f"{n(p['seconds'])} s") for p in d["bench_parts"]]
    rows.append(("**tests/bench**, builds included", f"**{n(sum(p['seconds'] for p in d['bench_parts']))} s**"))
    t = d["test_run"]
    if t:
        rows += [
            (f"tests/run at `{t['commit']}`: `sam build`", f"{n(t['sam_build_s'])} s"),
            ("tests/run: every other stage", f"{n(t['total_s'] - t['sam_build_s'])} s"),
            (f"**tests/run**, {n(t['passed'])} tests", f"**{n(t['total_s'])} s**"),
        ]
    else:
        rows.append(("tests/run", "not run in this clone before the bench"))
    return markdown(("command", "took"), rows)


def run_line(r):
    return f"Measured on {r['measured_on']}, at commit `{r['commit']}`."


def cost_table(r):
    c = r["cost"]
    if not c:
        raise KeyError("cost")
    rows = []
    for line in c["lines"]:
        usage = scaled(line["per_signature"] * 1e6, line["unit"]) if line["per_signature"] else ""
        monthly = f"{' + ' if usage else ''}${line['monthly']:g} a month" if line.get("monthly") else ""
        rows.append((line["service"], line["usage"], f"{usage}{monthly}", f"${line['dollars']:,.2f}"))
    rows.append(("**total**", "", "", f"**${c['total']:,.2f}**"))
    return markdown(("service", "what", "for a million signatures", "cost"), rows)


TABLES = {
    "run": run_line,
    "budget": lambda r: render_table(budget_rows(r)),
    "functions": functions_table,
    "handlers": handlers_table,
    "spike": spike_table,
    "mail": mail_table,
    "attack": attack_table,
    "counter": counter_table,
    "home-page": home_page_table,
    "privacy": privacy_table,
    "cost": cost_table,
    "durations": durations_table,
}
MARKER = re.compile(r"<!-- generated: ([a-z-]+) -->")
SECTION = re.compile(r"(<!-- generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)\n?(<!-- end: (?P=name) -->)", re.DOTALL)


def rendered(document, results):
    def one(match):
        table = TABLES[match["name"]]
        try:
            body = table(results)
        except KeyError:
            body = "_Not measured in the last run._"
        return match[1] + body + "\n" + match[4]

    return SECTION.sub(one, document)


def sections_sound(document):
    """Every generated section closed, and each one a table this script renders."""
    opened = MARKER.findall(document)
    closed = [m["name"] for m in SECTION.finditer(document)]
    unknown = sorted(set(opened) - set(TABLES))
    if not opened or opened != closed or unknown:
        sys.exit(f"{DOCUMENT.name}: generated sections {opened}, closed {closed}, unknown {unknown}")


def budget_in_the_tests():
    """The write-unit budget tests/run holds the flow to, read from its one definition."""
    source = (ROOT / "shared/src/testing/write_units.rs").read_text()
    return float(re.search(r"pub const BUDGET: f64 = ([0-9.]+);", source)[1])


def built_sizes(build):
    """Each function's bootstrap in a `sam build` directory: {function: bytes}."""
    def function(resource):
        return re.sub(r"(?<!^)([A-Z])", r"-\1", resource.removesuffix("Function")).lower()
    return {function(b.parent.name): b.stat().st_size
            for b in sorted(pathlib.Path(build).glob("*Function/bootstrap"))}


def size_faults(sizes, functions):
    """What is wrong with the sizes of a build of `functions`, as sentences; none when all hold."""
    faults = [f"{name}: not built" for name in sorted(set(functions) - set(sizes))]
    for name, size in sorted(sizes.items()):
        budget = function_budget(name)[2]
        if size > budget:
            faults.append(f"{name}: {size:,} bytes, over {budget:,}")
    return faults


def sizes(build):
    found = built_sizes(build)
    for name, size in found.items():
        budget = function_budget(name)[2]
        verdict = "within budget" if size <= budget else "OVER"
        print(f"{name:<14} {size:>10,} bytes  budget {budget:>10,}  {verdict}")
    functions = [d.name for d in (ROOT / "functions").iterdir() if (d / "Cargo.toml").exists()]
    faults = size_faults(found, functions)
    if faults:
        sys.exit("function sizes as sam build made them:\n  " + "\n  ".join(faults))


def main(args):
    if args[:1] == ["merge"] and len(args) == 4:
        merge(*args[1:])
    elif args[:1] == ["publish"] and len(args) == 2:
        results = load(pathlib.Path(args[1]) / "results.json")
        if results["missing"]:
            sys.exit(f"not published: the run missed {', '.join(results['missing'])}")
        shutil.copyfile(pathlib.Path(args[1]) / "results.json", RESULTS)
        DOCUMENT.write_text(rendered(DOCUMENT.read_text(), results))
        print(f"{DOCUMENT.name} rendered from {RESULTS.name}; infra/CAPACITY.md reads it too: "
              "run infra/capacity.py write target/infra (tests/run checks it)")
    elif args == ["render"]:
        sections_sound(DOCUMENT.read_text())
        DOCUMENT.write_text(rendered(DOCUMENT.read_text(), load(RESULTS)))
        print(f"{DOCUMENT.name} rendered from {RESULTS.name}")
    elif args[:1] == ["sizes"] and len(args) == 2:
        sizes(args[1])
    elif args == ["check"]:
        document = DOCUMENT.read_text()
        sections_sound(document)
        results = load(RESULTS)
        if results["wcu"]["budget"] != budget_in_the_tests():
            sys.exit(f"{RESULTS.name} judged write units by {results['wcu']['budget']}, the tests by "
                     f"{budget_in_the_tests()}: run tests/bench again")
        if rendered(document, results) != document:
            sys.exit(f"{DOCUMENT.name}'s tables differ from what {RESULTS.name} renders: "
                     "tests/bench_report.py render (or publish target/bench after tests/bench)")
        print(f"{DOCUMENT.name}: every table is what {RESULTS.name} renders")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
