"""Checks that no mistake with the stack loses the signatures: deleting the stack or replacing a
resource keeps the table, the master secret and every key either of them needs (a kept table
whose key is deleted is unreadable, and so are its backups), the stack policy refuses to replace
or delete any of them, the table refuses deletion, and point-in-time recovery is on. Reads the template as SAM expands it (validate.py writes it).

usage: python check_data.py EXPANDED_TEMPLATE_JSON
"""

import json
import pathlib
import re
import sys

from checks import verdict

# The environment variable naming the secret every signer key and link derives from.
MASTER_SECRET = "PEOPLE_FIRST_SECRET_ARN"


def holds_data(name, resource, resources):
    """The signatures, and the master secret (other secrets, such as the CDN's origin header, can
    be made anew)."""
    if resource["Type"] == "AWS::DynamoDB::Table":
        return True
    if resource["Type"] != "AWS::SecretsManager::Secret":
        return False
    environments = [r.get("Properties", {}).get("Environment", {}).get("Variables", {})
                    for r in resources.values() if r["Type"] == "AWS::Lambda::Function"]
    return any(name in references(variables.get(MASTER_SECRET)) for variables in environments)


def references(value):
    """Every resource a property names, through Ref, GetAtt or Sub."""
    if isinstance(value, dict):
        found = set()
        for key, inner in value.items():
            if key == "Ref":
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            elif key == "Fn::Sub":
                text, variables = (inner[0], inner[1]) if isinstance(inner, list) else (inner, {})
                found |= {name.split(".")[0] for name in re.findall(r"\$\{([^}!:]+)\}", text)}
                found |= references(variables)
            else:
                found |= references(inner)
        return found
    if isinstance(value, list):
        return set().union(*(references(inner) for inner in value)) if value else set()
    return set()


def kept(resource):
    return resource.get("DeletionPolicy") == "Retain" and resource.get("UpdateReplacePolicy") == "Retain"


def unprotected(policy, names):
    """Of the resources named, those the stack policy does not keep from replacement or deletion."""
    denied = set()
    for statement in policy.get("Statement", []):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if statement["Effect"] == "Deny" and {"Update:Replace", "Update:Delete"} <= set(actions):
            denied |= {r.removeprefix("LogicalResourceId/") for r in resources}
    return sorted(set(names) - denied) if "*" not in denied else []


def problems_of(template, stack_policy):
    resources = template["Resources"]
    problems = []
    kept_data = []
    for name, resource in resources.items():
        if not holds_data(name, resource, resources):
            continue
        kept_data.append(name)
        if not kept(resource):
            problems.append(f"{name}: deleting or replacing the stack deletes it (DeletionPolicy and "
                            "UpdateReplacePolicy must be Retain)")
        for needed in sorted(references(resource.get("Properties", {}))):
            other = resources.get(needed, {})
            if other.get("Type") == "AWS::KMS::Key":
                kept_data.append(needed)
                if not kept(other):
                    problems.append(f"{needed}: {name} is encrypted with it, so it must be kept as {name} is")
        if resource["Type"] == "AWS::DynamoDB::Table":
            properties = resource["Properties"]
            if properties.get("DeletionProtectionEnabled") is not True:
                problems.append(f"{name}: no deletion protection")
            recovery = properties.get("PointInTimeRecoverySpecification", {})
            if recovery.get("PointInTimeRecoveryEnabled") is not True:
                problems.append(f"{name}: no point-in-time recovery")
            elif not isinstance(recovery.get("RecoveryPeriodInDays"), int):
                problems.append(f"{name}: point-in-time recovery keeps no stated number of days")
    # Retain keeps the old resource, but a replacement still gives the stack a new, empty one (a
    # new master secret orphans every signature): the stack policy refuses both.
    for name in unprotected(stack_policy, kept_data):
        problems.append(f"{name}: infra/stack-policy.json does not refuse its replacement and deletion")
    return problems


def main():
    stack_policy = json.loads((pathlib.Path(__file__).parent / "stack-policy.json").read_text())
    problems = problems_of(json.loads(open(sys.argv[1]).read()), stack_policy)
    verdict(problems, "the table, the master secret and their key survive deletion and replacement")


if __name__ == "__main__":
    main()
