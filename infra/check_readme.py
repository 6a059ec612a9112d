"""Checks that infra/README.md names only parameters, outputs and resources that exist: every
`CamelCase` name it quotes and every `Name=value` it passes is one of the three templates'.

usage: python check_readme.py
"""

import pathlib
import re

from cfnlint.decode import cfn_yaml
from checks import verdict

HERE = pathlib.Path(__file__).resolve().parent
TEMPLATES = ("edge.yaml", "template.yaml", "deploy-role.yaml")
# CloudFormation's own words, which the README may quote too.
CLOUDFORMATION = {"DeletionPolicy", "UpdateReplacePolicy"}


def known_names():
    names = set(CLOUDFORMATION)
    for name in TEMPLATES:
        template = cfn_yaml.load(str(HERE / name))
        for section in ("Parameters", "Outputs", "Resources"):
            names |= set(template.get(section, {}))
    return names


def named_in(readme):
    quoted = re.findall(r"`([A-Z][a-z]+(?:[A-Z][a-z0-9]*)+\d*)`", readme)
    passed = re.findall(r"\b([A-Z][a-z]+(?:[A-Z][a-z0-9]*)+)=(?!=)", readme)
    return set(quoted) | set(passed)


def api_functions():
    """The functions an HTTP API event calls: `sam deploy --guided` asks about each."""
    template = cfn_yaml.load(str(HERE / "template.yaml"))
    return {name for name, resource in template["Resources"].items()
            if any(event.get("Type") == "HttpApi"
                   for event in resource.get("Properties", {}).get("Events", {}).values())}


def problems_of(readme, known, asked=None):
    problems = [f"infra/README.md names {name}, which no template has" for name in sorted(named_in(readme) - known)]
    if asked is not None:
        listed = re.search(r"for each function behind the API\s*\(([^)]*)\)", readme)
        said = set(re.findall(r"`(\w+)`", listed.group(1))) if listed else set()
        if said != asked:
            problems.append(f"infra/README.md says sam deploy --guided asks about {sorted(said)}; it asks about "
                            f"{sorted(asked)}")
    return problems


def main():
    readme = (HERE / "README.md").read_text()
    problems = problems_of(readme, known_names(), api_functions())
    verdict(problems, f"infra/README.md: the {len(named_in(readme))} names it gives are the templates'")


if __name__ == "__main__":
    main()
