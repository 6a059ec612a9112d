"""How every infrastructure check ends: each problem on its own line and exit 1, or one line
saying what holds and exit 0."""

import sys


def verdict(problems, holds):
    for problem in problems:
        print(problem)
    if not problems:
        print(holds)
    sys.exit(1 if problems else 0)
