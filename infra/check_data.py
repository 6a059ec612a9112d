"""Checks that no mistake with the stack loses the signatures: deleting the stack or replacing a
resource keeps the table, the master secret, the queue of emails waiting and its failures, and
every key any of them needs (a kept table whose key is deleted is unreadable, and so are its
backups); the stack policy refuses to replace or delete the table, the secret and the key; the
table refuses deletion, and point-in-time recovery is on. And that a failed first deploy leaves
nothing behind but what its rollback cannot delete: a table under deletion protection, and its
key. Reads the template as SAM expands it (validate.py writes it).

usage: python check_data.py EXPANDED_TEMPLATE_JSON
"""

import json
import pathlib
import re
import sys

from cfnlint.decode import cfn_yaml
from checks import named, verdict

# The environment variable naming the secret every signer key and link derives from.
MASTER_SECRET = "PEOPLE_FIRST_SECRET_ARN"


def holds_data(name, resource, resources):
    """The signatures, the master secret (other secrets, such as the CDN's origin header, can
    be made anew), and emails waiting: a queue a function reads, and its dead-letter queue."""
    if resource["Type"] == "AWS::DynamoDB::Table":
        return True
    if resource["Type"] == "AWS::SQS::Queue":
        return name in read_queues(resources)
    if resource["Type"] != "AWS::SecretsManager::Secret":
        return False
    environments = [r.get("Properties", {}).get("Environment", {}).get("Variables", {})
                    for r in resources.values() if r["Type"] == "AWS::Lambda::Function"]
    return any(name in references(variables.get(MASTER_SECRET)) for variables in environments)


def read_queues(resources):
    """The queues a function reads, and where each sends what fails there."""
    read = {named(r["Properties"].get("EventSourceArn")) for r in resources.values()
            if r["Type"] == "AWS::Lambda::EventSourceMapping"}
    read = {name for name in read if resources.get(name, {}).get("Type") == "AWS::SQS::Queue"}
    dead_letters = {named(resources[name]["Properties"].get("RedrivePolicy", {}).get("deadLetterTargetArn"))
                    for name in read}
    return read | (dead_letters - {None})


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
    return (resource.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate")
            and resource.get("UpdateReplacePolicy") == "Retain")


def protected_table(resource):
    return (resource["Type"] == "AWS::DynamoDB::Table"
            and resource.get("Properties", {}).get("DeletionProtectionEnabled") is True)


def left_behind(resources):
    """What a failed first deploy would leave behind needlessly: `Retain` keeps even what the
    failed deploy itself created. Only a table under deletion protection needs it (its rollback
    could not delete it, and the stack would end in ROLLBACK_FAILED), and then so do its keys."""
    needed = set()
    for name, resource in resources.items():
        if protected_table(resource):
            needed.add(name)
            needed |= {key for key in references(resource.get("Properties", {}))
                       if resources.get(key, {}).get("Type") == "AWS::KMS::Key"}
    return sorted(name for name, resource in resources.items()
                  if resource.get("DeletionPolicy") == "Retain" and name not in needed)


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
            problems.append(f"{name}: deleting or replacing the stack deletes it (DeletionPolicy must be "
                            "Retain or RetainExceptOnCreate, and UpdateReplacePolicy Retain)")
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
    for name in left_behind(resources):
        problems.append(f"{name}: a failed first deploy leaves it behind (DeletionPolicy Retain where "
                        "RetainExceptOnCreate would delete what the failed deploy created)")
    # Retain keeps the old resource, but a replacement still gives the stack a new, empty one (a
    # new master secret orphans every signature): the stack policy refuses both. The queues'
    # messages outlive a replacement in the old queue, so the policy need not hold them.
    for name in unprotected(stack_policy, [n for n in kept_data if resources[n]["Type"] != "AWS::SQS::Queue"]):
        problems.append(f"{name}: infra/stack-policy.json does not refuse its replacement and deletion")
    return problems


def reattach_problems(template, reattach):
    """infra/reattach.yaml must hold what the stack keeps, as the stack declares it: a kept
    resource it lacks would be made anew, and one that differs would be changed by the deploy that
    follows the import."""
    resources = template["Resources"]
    kept_here = {name for name, resource in resources.items()
                 if holds_data(name, resource, resources)
                 or (resource["Type"] == "AWS::KMS::Key" and resource.get("DeletionPolicy") == "Retain")}
    problems = [f"{name}: the stack keeps it, and infra/reattach.yaml does not re-attach it"
                for name in sorted(kept_here - set(reattach["Resources"]))]
    for name, resource in reattach["Resources"].items():
        if resources.get(name) != resource:
            problems.append(f"{name}: infra/reattach.yaml does not declare it as template.yaml does")
    return problems


def main():
    here = pathlib.Path(__file__).parent
    stack_policy = json.loads((here / "stack-policy.json").read_text())
    template = json.loads(pathlib.Path(sys.argv[1]).read_text())
    problems = problems_of(template, stack_policy)
    problems += reattach_problems(template, json.loads(json.dumps(cfn_yaml.load(str(here / "reattach.yaml")))))
    verdict(problems, "the table, the master secret, the mail queues and their key survive deletion and "
            "replacement, infra/reattach.yaml re-attaches them, and a failed first deploy leaves "
            "only the protected table and its key")


if __name__ == "__main__":
    main()
