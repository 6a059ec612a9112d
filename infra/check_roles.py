"""Checks that no role of the templates can climb, with cloudsplaining (an IAM analyser, from
the privilege escalation methods Rhino Security Labs published) and what it cannot see alone:

- no policy allows a privilege escalation on every resource;
- no policy allows a data action (DynamoDB, Secrets Manager, KMS, S3) on every resource without
  a condition: a pattern that names nothing, such as `table/*` or `key/*`, counts as every one
  (reading a resource's settings, and switching a key's rotation on, are not data actions);
- the stack role creates a role, or gives one permissions, only under the permissions boundary,
  and never removes one; the boundary itself allows no escalation even on the resources it names,
  no IAM action, and no mail but from the stage's domain; the stack role passes roles only to
  Lambda; every role of the stack carries the boundary, and it allows what each function's own
  policies ask for (or the function would fail once deployed under it);
- the stack role never gives a key or secret another stage's tag;
- the deploy role cannot import resources into the stage's stack.

Reads the templates as validate.py writes them.

usage: python check_roles.py TARGET_INFRA_DIR
"""

import fnmatch
import json
import pathlib
import re
import sys

from checks import named, verdict
from cloudsplaining.scan.policy_document import PolicyDocument
from cloudsplaining.scan.statement_detail import StatementDetail

TEMPLATES = ("template.json", "deploy-role.json", "edge.json")
DATA_SERVICES = ("dynamodb", "secretsmanager", "kms", "s3")
# What creates a role or gives one permissions: the stack role may call these only under the
# boundary (the condition key iam:PermissionsBoundary).
ROLE_PERMISSION_WRITES = ("iam:createrole", "iam:putrolepolicy", "iam:attachrolepolicy",
                          "iam:deleterolepolicy", "iam:detachrolepolicy", "iam:putrolepermissionsboundary")
PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "eu-central-1", "AWS::AccountId": "111122223333",
          "AWS::StackName": "people-first-staging", "AWS::URLSuffix": "amazonaws.com"}


def rendered(value):
    """A policy with CloudFormation's functions turned into the strings they stand for:
    pseudo parameters take example values, other names stand for themselves."""
    if isinstance(value, list):
        return [rendered(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "Fn::Sub" in value:
        text = value["Fn::Sub"] if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"][0]
        return re.sub(r"\$\{([^}]+)\}", lambda m: PSEUDO.get(m.group(1), m.group(1)), text)
    if "Ref" in value or "Fn::GetAtt" in value:
        target = named(value)
        return PSEUDO.get(target, f"arn:aws:{target}")
    if "Fn::If" in value:
        return rendered(value["Fn::If"][1])
    return {k: rendered(v) for k, v in value.items()}


def every(resource):
    """Whether a resource pattern names nothing in particular: `*`, or a type followed by `*`."""
    if resource == "*":
        return True
    parts = resource.split(":", 5)
    if len(parts) < 6:
        return False
    return re.fullmatch(r"(?:[A-Za-z-]+[/:])?\*", parts[5]) is not None


def widened(statement):
    """The statement with each pattern that names nothing in particular written as `*`, as the
    analyser understands it."""
    resources = statement.get("Resource", [])
    resources = resources if isinstance(resources, list) else [resources]
    return {**statement, "Resource": ["*" if every(r) else r for r in resources]}


def listed(value):
    return value if isinstance(value, list) else [value]


def policies_of(template):
    """(name, policy document) for every policy the template writes."""
    found = []
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::Role":
            for policy in properties.get("Policies", []):
                if "Fn::If" in policy:
                    policy = policy["Fn::If"][1]
                found.append((f"{name} ({policy['PolicyName']})", rendered(policy["PolicyDocument"])))
        elif resource["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            found.append((name, rendered(properties["PolicyDocument"])))
    return found


def escalations(document, even_named=False):
    statements = [widened(s) for s in document["Statement"]]
    policy = PolicyDocument({**document, "Statement": statements}, flag_resource_arn_statements=even_named)
    return [f"{e['type']} ({', '.join(e['actions'])})" for e in policy.allows_privilege_escalation]


# Actions that read a resource's settings, never its data, or only make it safer: on every
# resource they reach nothing.
NO_DATA = re.compile(r"^[a-z0-9]+:(Describe|List|GetKeyPolicy$|GetKeyRotationStatus$|EnableKeyRotation$)")


def data_on_every_resource(document):
    found = []
    for statement in document["Statement"]:
        if statement["Effect"] != "Allow" or statement.get("Condition"):
            continue
        widened_statement = widened(statement)
        if "*" not in widened_statement["Resource"]:
            continue
        detail = StatementDetail(widened_statement)
        found += sorted(a for a in detail.restrictable_actions
                        if a.split(":")[0].lower() in DATA_SERVICES and not NO_DATA.match(a))
    return found


def boundary_name(deploy_role):
    """The managed policy the stack role's role-creating statement demands as boundary."""
    for name, resource in deploy_role["Resources"].items():
        if resource["Type"] == "AWS::IAM::ManagedPolicy":
            return name
    return None


def unbounded_role_writes(deploy_role, boundary):
    """The stack role's role-creating actions that do not demand the boundary."""
    loose = []
    for policy in deploy_role["Resources"]["StackRole"]["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            if statement["Effect"] != "Allow":
                continue
            demanded = statement.get("Condition", {}).get("StringEquals", {}).get("iam:PermissionsBoundary")
            for action in listed(statement["Action"]):
                writes = [w for w in ROLE_PERMISSION_WRITES if fnmatch.fnmatchcase(w, action.lower())]
                if writes and (boundary is None or named(demanded) != boundary):
                    loose += writes
    return sorted(set(loose))


def allows(document, action):
    return any(s["Effect"] == "Allow" and any(fnmatch.fnmatchcase(action.lower(), a.lower())
                                              for a in listed(s["Action"]))
               for s in document["Statement"])


def boundary_problems(stack, deploy_role):
    boundary = boundary_name(deploy_role)
    if boundary is None:
        return ["infra/deploy-role.yaml: no permissions boundary for the roles the stack role creates"]
    problems = [f"StackRole may {action} without the permissions boundary {boundary}"
                for action in unbounded_role_writes(deploy_role, boundary)]
    document = rendered(deploy_role["Resources"][boundary]["Properties"]["PolicyDocument"])
    problems += [f"{boundary} allows a privilege escalation on the resources it names: {e}"
                 for e in escalations(document, even_named=True)]
    problems += [f"{boundary} allows an IAM action ({a}): a bounded role could change roles"
                 for s in document["Statement"] if s["Effect"] == "Allow"
                 for a in listed(s["Action"]) if a.lower().startswith("iam:")]
    for statement in document["Statement"]:
        sends = [a for a in listed(statement["Action"]) if fnmatch.fnmatchcase("ses:sendemail", a.lower())]
        condition = statement.get("Condition", {})
        if statement["Effect"] == "Allow" and sends and not any("ses:FromAddress" in c for c in condition.values()):
            problems.append(f"{boundary} lets a role send mail from any address (no ses:FromAddress condition)")
    for statement in deploy_role["Resources"]["StackRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]:
        passes = [a for a in listed(statement["Action"]) if fnmatch.fnmatchcase("iam:passrole", a.lower())]
        condition = statement.get("Condition", {})
        if statement["Effect"] == "Allow" and passes and not any("iam:PassedToService" in c for c in condition.values()):
            problems.append("StackRole may pass the stage's roles to any service (no iam:PassedToService condition)")
    for name, resource in stack["Resources"].items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        given = resource["Properties"].get("PermissionsBoundary")
        given = given["Fn::If"][1] if isinstance(given, dict) and "Fn::If" in given else given
        if named(given) != "PermissionsBoundaryArn":
            problems.append(f"{name} is created without the permissions boundary (PermissionsBoundaryArn)")
        for policy in resource["Properties"].get("Policies", []):
            for statement in rendered(policy["PolicyDocument"])["Statement"]:
                for action in listed(statement["Action"]):
                    if statement["Effect"] == "Allow" and not allows(document, action):
                        problems.append(f"{name} asks for {action}, which {boundary} does not allow: "
                                        "the function would be refused it")
    return problems


# The tags that let a stage reach a key or secret: its stack role must refuse any other value.
STAGE_TAGS = ("people-first-stack", "people-first-master-key")


def unguarded_tags(deploy_role):
    """The stage tags the stack role may set to another stage's value."""
    statements = deploy_role["Resources"]["StackRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    guarded = set()
    for statement in statements:
        actions = {a.lower() for a in listed(statement["Action"])}
        if statement["Effect"] != "Deny" or not {"kms:tagresource", "secretsmanager:tagresource"} <= actions:
            continue
        for key in statement.get("Condition", {}).get("StringNotEquals", {}):
            guarded.add(key.removeprefix("aws:RequestTag/"))
    return [tag for tag in STAGE_TAGS if tag not in guarded]


def imports_denied(deploy_role):
    for policy in deploy_role["Resources"]["DeployRole"]["Properties"]["Policies"]:
        if "Fn::If" in policy:
            continue
        for statement in policy["PolicyDocument"]["Statement"]:
            conditions = statement.get("Condition", {})
            if (statement["Effect"] == "Deny" and "cloudformation:CreateChangeSet" in listed(statement["Action"])
                    and any("cloudformation:ImportResourceTypes" in c for c in conditions.values())):
                return True
    return False


def problems_of(templates):
    problems = []
    for template in templates.values():
        for name, document in policies_of(template):
            problems += [f"{name} allows a privilege escalation: {e}" for e in escalations(document)]
            data = data_on_every_resource(document)
            if data:
                services = sorted({a.split(":")[0] for a in data})
                problems.append(f"{name} allows {len(data)} actions of {', '.join(services)} on every resource "
                                f"(for example {', '.join(data[:3])})")
    problems += boundary_problems(templates["template.json"], templates["deploy-role.json"])
    problems += [f"StackRole may tag a key or secret {tag} with another stage's name, and reach it"
                 for tag in unguarded_tags(templates["deploy-role.json"])]
    if not imports_denied(templates["deploy-role.json"]):
        problems.append("the deploy role may import any table, key or secret of the account into the "
                        "stage's stack (deny cloudformation:ImportResourceTypes)")
    return problems


def main():
    target = pathlib.Path(sys.argv[1])
    templates = {name: json.loads((target / name).read_text()) for name in TEMPLATES}
    count = sum(len(policies_of(t)) for t in templates.values())
    verdict(problems_of(templates),
            f"none of the templates' {count} policies can climb or reach data everywhere, and the stack "
            "role makes roles only under the stage's boundary")


if __name__ == "__main__":
    main()
