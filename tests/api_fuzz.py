"""Reads schemathesis's HAR of a run against the local stack: how many inputs it tried, how many
signatures it got accepted, and how many the stack holds afterwards (from `people-first stats`).
A rejected input must store nothing, so the stack may hold no more signatures than were accepted.

usage: api_fuzz.py HAR STATS_OUTPUT"""

import json
import pathlib
import re
import sys
from collections import Counter

har, stats = sys.argv[1], pathlib.Path(sys.argv[2]).read_text()
entries = json.loads(pathlib.Path(har).read_text())["log"]["entries"]
statuses = Counter()
accepted = 0
for entry in entries:
    request, status = entry["request"], entry["response"]["status"]
    path = re.sub(r"^https?://[^/]+", "", request["url"]).split("?")[0]
    statuses[(request["method"], path, status)] += 1
    if path == "/api/sign" and request["method"] == "POST" and status in (202, 303):
        accepted += 1

confirmed, waiting = map(int, re.search(r"(\d+) confirmed, (\d+) waiting", stats).groups())
stored = confirmed + waiting
print(f"  {len(entries)} inputs tried; answers by endpoint:")
for (method, path, status), n in sorted(statuses.items()):
    print(f"    {method:7} {path:16} {status}  x{n}")
print(f"  signatures accepted: {accepted}, held by the stack afterwards: {stored}")
server_errors = sum(n for (_, _, status), n in statuses.items() if status >= 500 and status != 503)
if server_errors or stored > accepted:
    sys.exit(f"api_fuzz: {server_errors} server errors; {stored} stored for {accepted} accepted")
