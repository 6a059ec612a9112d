"""What every infrastructure check shares: reading which resource a reference names, and how a
check ends."""

import sys


def named(value):
    """The resource a reference names: `{"Ref": X}`, or `{"Fn::GetAtt": [X, "Arn"]}` as a list or
    as "X.Arn"; None for anything else."""
    if isinstance(value, dict):
        if "Ref" in value:
            return value["Ref"]
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            return target[0] if isinstance(target, list) else target.split(".")[0]
    return None


def verdict(problems, holds):
    """Each problem on its own line and exit 1, or one line saying what holds and exit 0."""
    for problem in problems:
        print(problem)
    if not problems:
        print(holds)
    sys.exit(1 if problems else 0)
