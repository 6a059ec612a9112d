"""Validates the templates offline: expands SAM with the SAM translator, lints every template
with cfn-lint, and runs checkov on the expanded templates, with the skipped checks and their
reasons read from checkov-skips.yaml.

usage: python validate.py OUTPUT_DIR
"""

import json
import os
import pathlib
import subprocess
import sys

from cfnlint.decode import cfn_yaml
from samtranslator.translator.transform import transform

HERE = pathlib.Path(__file__).parent
# The translator fills in the region's pseudo parameters; no AWS call is made.
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")
TEMPLATES = ["edge.yaml", "template.yaml", "deploy-role.yaml", "reattach.yaml"]


class NoManagedPolicies:
    """The templates name no managed policy, so the translator needs no AWS account to look one up."""

    def load(self):
        return {}


def expand(name, out):
    template = cfn_yaml.load(str(HERE / name))
    for logical, resource in template.get("Resources", {}).items():
        # As `sam package` would: code that is built locally is uploaded and named by its S3 key.
        code = resource.get("Properties", {}).get("CodeUri")
        if resource.get("Type") == "AWS::Serverless::Function" and not str(code).startswith("s3://"):
            resource["Properties"]["CodeUri"] = f"s3://people-first-artifacts/{logical}.zip"
    if "Transform" in template:
        template = transform(template, {}, NoManagedPolicies())
    path = out / (pathlib.Path(name).stem + ".json")
    path.write_text(json.dumps(template, indent=1, default=str))
    return path


def skips():
    checks = []
    for line in (HERE / "checkov-skips.yaml").read_text().splitlines():
        line = line.strip()
        if line.startswith("- id:"):
            checks.append(line.split(":", 1)[1].strip())
    return checks


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    expanded = [expand(name, out) for name in TEMPLATES]
    failed = False
    for path in [HERE / n for n in TEMPLATES] + expanded:
        lint = subprocess.run([str(pathlib.Path(sys.executable).parent / "cfn-lint"), "--format", "parseable", str(path)],
                              capture_output=True, text=True, check=False)
        if lint.returncode != 0:
            failed = True
            print(f"cfn-lint: {path.name}\n{lint.stdout}{lint.stderr}")
        else:
            print(f"cfn-lint: {path.name}: no error")
    skip = ",".join(skips())
    for path in expanded:
        check = subprocess.run(
            [str(pathlib.Path(sys.executable).parent / "checkov"), "--quiet", "--compact", "--framework",
             "cloudformation", "--skip-download", "--skip-check", skip, "--file", str(path)],
            capture_output=True, text=True, env={**os.environ, "BC_SKIP_MAPPING": "TRUE"}, check=False)
        if check.returncode != 0:
            failed = True
            print(f"checkov: {path.name}\n{check.stdout}{check.stderr}")
        else:
            print(f"checkov: {path.name}: no failure")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
