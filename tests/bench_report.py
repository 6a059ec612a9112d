"""Merges the benchmarks' parts into target/bench/results.json and prints one table against the
performance budget. Run by tests/bench after the parts are written."""

import json
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
part = lambda name: json.loads((out / f"{name}.json").read_text())
functions, counter, spike, mail = part("functions"), part("counter"), part("spike"), part("mail")

results = {
    "functions": functions["functions"],
    "floor": {
        "cold_start_ms": functions["floor"]["cold_start_ms"],
        "binary_bytes": functions["floor"]["binary_bytes"],
        "requests_per_s": spike["floor_per_s"],
    },
    "spike": {key: spike[key] for key in (
        "signs_per_s", "p50_ms", "p99_ms", "max_ms", "errors", "floor_per_s",
        "confirms_per_s", "count_exact", "count_visible_s")},
    "wcu_per_signature": counter["wcu_per_signature"],
    "mail": mail["mail"],
}
(out / "results.json").write_text(json.dumps(results, indent=2) + "\n")

rows = []
start = lambda s: f"{s['own_ms']:.1f} ms (of {s['total_ms']:.1f}; emulator {s['emulator_ms']:.1f})"
floor = results["floor"]
for name, f in results["functions"].items():
    rows += [
        # The function's own time is judged: the emulator answers far slower than DynamoDB,
        # SES or Secrets Manager do, and its time is shown beside.
        (f"{name}: cold start, own", start(f["cold_start"]), f"{floor['cold_start_ms']:.1f} ms",
         "≤ 20 ms", f["cold_start"]["own_ms"] <= 20),
        (f"{name}: cold start with TLS, own", start(f["cold_start_tls"]), "",
         "≤ 30 ms", f["cold_start_tls"]["own_ms"] <= 30),
        (f"{name}: binary", f"{f['binary_bytes'] / 1e6:.2f} MB", f"{floor['binary_bytes'] / 1e6:.2f} MB",
         "≤ 6 MB", f["binary_bytes"] <= 6_000_000),
        (f"{name}: peak RSS", f"{f['peak_rss_bytes'] / 1e6:.1f} MB", "",
         "≤ 24 MB", f["peak_rss_bytes"] <= 24_000_000),
    ]
s = results["spike"]
rows += [
    ("spike: signatures/s", f"{s['signs_per_s']:,.0f}", f"{s['floor_per_s']:,.0f}", "≥ 10,000",
     s["signs_per_s"] >= 10_000),
    ("spike: p50 / p99 / max", f"{s['p50_ms']:.1f} / {s['p99_ms']:.1f} / {s['max_ms']:.1f} ms", "", "p99 ≤ 50 ms",
     s["p99_ms"] <= 50),
    ("spike: errors", f"{s['errors']}", "", "0", s["errors"] == 0),
    ("spike: confirmations/s", f"{s['confirms_per_s']:,.0f}", "", "", None),
    ("spike: count exact", "yes" if s["count_exact"] else "no", "", "yes", s["count_exact"]),
    ("spike: count visible after", f"{s['count_visible_s']:.1f} s", "", "", None),
    ("write units per signature", f"{results['wcu_per_signature']:.3f}", "", "≤ 2.05",
     results["wcu_per_signature"] <= 2.05),
]
for quota, m in results["mail"].items():
    faulty = m["with_faults"]
    rows += [
        (f"launch at {quota} emails/s: p50 / p99 / max", f"{m['p50_s']:,.0f} / {m['p99_s']:,.0f} / {m['max_s']:,.0f} s",
         "", f"p99 ≤ {m['budget_p99_s']:,.0f} s", m["p99_s"] <= m["budget_p99_s"]),
        (f"launch at {quota} emails/s: lost, sent twice, throttled", f"{m['lost']}, {m['duplicates']}, {m['throttled']}",
         "", "0, 0", m["lost"] == 0 and m["duplicates"] == 0),
        (f"launch at {quota} emails/s, 5 % faults: p99; lost, twice", f"{faulty['p99_s']:,.0f} s; {faulty['lost']}, {faulty['duplicates']}",
         "", "0 lost", faulty["lost"] == 0),
    ]
verdict = {True: "meets", False: "MISSES", None: ""}
widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
print()
print("  ".join(h.ljust(w) for h, w in zip(("figure", "measured", "floor", "budget"), widths)))
for r in rows:
    print("  ".join(str(c).ljust(w) for c, w in zip(r[:4], widths)) + "  " + verdict[r[4]])
missed = [r[0] for r in rows if r[4] is False]
print(f"\n{out / 'results.json'} written; "
      + (f"{len(missed)} figure(s) miss the budget" if missed else "every figure meets the budget"))
