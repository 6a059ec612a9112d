"""Checks that the deploy's roles can do what a deploy will ask of them. The stack role: for every resource type
in the expanded stack, the permissions its handlers list in the CloudFormation registry's
published schema (create, read, update, delete; cfn-lint ships those schemas) must be allowed
by one of the role's statements, for each stage. A handler's permission that only serves a
property the stack does not set (a function's VPC, a table's Kinesis stream) is excused while
the property stays unset, so setting it makes the check ask for the permission.

Actions are matched, and resources only so far as IAM's own data says: an action that names no
resource (the Service Authorization Reference, as policy_sentry ships it) must be allowed on `*`,
and no statement may deny, without a condition, what a handler calls. Otherwise each
statement's resources are the stage's own names, read beside it in deploy-role.yaml.

usage: python check_stack_role.py TARGET_INFRA_DIR   (after validate.py has written it)
"""

import fnmatch
import json
import pathlib
import sys

import cfnlint
from checks import verdict
from policy_sentry.querying.actions import get_action_data

SCHEMAS = pathlib.Path(cfnlint.__file__).parent / "data" / "schemas"
# The stack's region in the README; the schemas' handlers are the same in every region they
# are published for.
REGION = "eu-central-1"
HANDLERS = ("create", "read", "update", "delete")
STAGES = ("staging", "production")

# Permissions a type's handlers list for a property the stack does not set: (type, the
# permission's pattern) -> the property whose absence excuses it.
ONLY_WITH = {
    ("AWS::Lambda::Function", "ec2:*"): "VpcConfig",
    ("AWS::Lambda::Function", "elasticfilesystem:*"): "FileSystemConfigs",
    ("AWS::Lambda::Function", "s3files:*"): "FileSystemConfigs",
    ("AWS::DynamoDB::Table", "kinesis:*"): "KinesisStreamSpecification",
    # Replicas (global tables) and contributor insights create DynamoDB's service-linked role.
    ("AWS::DynamoDB::Table", "iam:CreateServiceLinkedRole"): "Replicas",
    ("AWS::S3::Bucket", "s3tables:*"): "MetadataTableConfiguration",
    ("AWS::Logs::LogGroup", "firehose:*"): "DataProtectionPolicy",
    # The stack role denies these: they would send a log group elsewhere.
    ("AWS::Logs::LogGroup", "logs:*ResourcePolic*"): "ResourcePolicyDocument",
    ("AWS::IAM::Role", "iam:*RolePermissionsBoundary"): "PermissionsBoundary",
}

# Permissions a type's handlers list that the stack role must never hold: (type, permission)
# -> why. The stack never calls them.
NEVER = {
    ("AWS::IAM::Role", "iam:DeleteRolePermissionsBoundary"):
        "a role stripped of its permissions boundary could do anything its policies say",
}


def registry_schema(resource_type):
    """The type's resource schema as the CloudFormation registry publishes it."""
    providers = json.loads((SCHEMAS / "providers" / f"{REGION}.json").read_text())
    return json.loads((SCHEMAS / "resources" / f"{providers[resource_type]}.json").read_text())


def handler_permissions(resource_type):
    """What the registry says CloudFormation calls to create, read, update and delete one."""
    handlers = registry_schema(resource_type).get("handlers", {})
    return sorted({p for h in HANDLERS for p in handlers.get(h, {}).get("permissions", [])})


def excused(resource_type, permission, resources):
    """Whether no resource of the type sets the property the permission serves."""
    for (of_type, pattern), prop in ONLY_WITH.items():
        if of_type == resource_type and fnmatch.fnmatchcase(permission, pattern):
            return all(prop not in r.get("Properties", {}) for r in resources)
    return False


def listed(value):
    return value if isinstance(value, list) else [value]


def stack_role_statements(deploy_role, stage):
    """The stack role's statements for a stage: a policy under a condition on the stage counts
    only for that stage."""
    conditions = {"Staging": stage == "staging"}
    statements = []
    for policy in deploy_role["Resources"]["StackRole"]["Properties"]["Policies"]:
        if "Fn::If" in policy:
            condition, then, otherwise = policy["Fn::If"]
            policy = then if conditions[condition] else otherwise
            if not isinstance(policy, dict) or "PolicyDocument" not in policy:
                continue
        statements += policy["PolicyDocument"]["Statement"]
    return statements


def matches(statement, permission):
    return any(fnmatch.fnmatchcase(permission.lower(), a.lower()) for a in listed(statement["Action"]))


def names_no_resource(permission):
    """Whether IAM authorizes the action on `*` only; False for an action policy_sentry does not
    know (its data is older than the registry's)."""
    service, name = permission.split(":", 1)
    try:
        data = get_action_data(service, name)
    except Exception:  # noqa: BLE001 (policy_sentry raises it for a service it has never heard of)
        return False
    entries = (data or {}).get(service) or []
    return bool(entries) and all(e["resource_arn_format"] == "*" for e in entries)


def refusal(statements, permission):
    """Why the statements do not let CloudFormation call the permission, or None."""
    if any(s["Effect"] == "Deny" and not s.get("Condition") and matches(s, permission) for s in statements):
        return "a statement denies it"
    allowing = [s for s in statements if s["Effect"] == "Allow" and matches(s, permission)]
    if not allowing:
        return "no statement allows it"
    if names_no_resource(permission) and not any("*" in listed(s["Resource"]) for s in allowing):
        return "it names no resource, and no statement allows it on *"
    return None


# What the workflow's deploy role calls itself (sam deploy, the stack policy, the README's
# recovery from a rollback that stopped part way), beside what it hands CloudFormation.
DEPLOY_CALLS = (
    "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet",
    "cloudformation:DeleteChangeSet", "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents",
    "cloudformation:GetTemplateSummary", "cloudformation:SetStackPolicy",
    "cloudformation:ContinueUpdateRollback", "cloudformation:CancelUpdateStack",
    "s3:PutObject", "s3:GetObject", "s3:ListBucket", "iam:PassRole",
)
# A failed update rolls the functions back to the last deploy's packages, after however quiet
# a spell: they must outlive it.
PACKAGES_KEPT_DAYS = 365


def role_actions(role):
    actions = []
    for policy in role["Properties"]["Policies"]:
        if not isinstance(policy, dict) or "PolicyDocument" not in policy:
            continue
        for statement in policy["PolicyDocument"]["Statement"]:
            if statement.get("Effect") == "Allow":
                action = statement["Action"]
                actions += action if isinstance(action, list) else [action]
    return [a.lower() for a in actions]


def deploy_problems(deploy_role):
    problems = []
    allowed = role_actions(deploy_role["Resources"]["DeployRole"])
    for call in DEPLOY_CALLS:
        if not any(fnmatch.fnmatchcase(call.lower(), a) for a in allowed):
            problems.append(f"the deploy role cannot {call}, which the deploy calls")
    rules = deploy_role["Resources"]["Packages"]["Properties"].get("LifecycleConfiguration", {}).get("Rules", [])
    for rule in rules:
        days = rule.get("ExpirationInDays")
        if days is not None and int(days) < PACKAGES_KEPT_DAYS:
            problems.append(f"the packages expire after {days} days: a failed update after a quieter "
                            f"spell cannot roll the functions back")
    return problems


def problems_of(stack, deploy_role):
    by_type = {}
    for resource in stack["Resources"].values():
        by_type.setdefault(resource["Type"], []).append(resource)
    problems = []
    for stage in STAGES:
        statements = stack_role_statements(deploy_role, stage)
        for resource_type, resources in sorted(by_type.items()):
            for permission in handler_permissions(resource_type):
                why = refusal(statements, permission)
                if (resource_type, permission) in NEVER:
                    if why is None:
                        problems.append(f"{stage}: the stack role may {permission}: "
                                        f"{NEVER[resource_type, permission]}")
                    continue
                if excused(resource_type, permission, resources):
                    continue
                if why is not None:
                    problems.append(f"{stage}: the stack role cannot {permission}, which CloudFormation "
                                    f"calls for {resource_type} ({why})")
    return problems + deploy_problems(deploy_role)


def main():
    target = pathlib.Path(sys.argv[1])
    stack = json.loads((target / "template.json").read_text())
    deploy_role = json.loads((target / "deploy-role.json").read_text())
    types = len({r["Type"] for r in stack["Resources"].values()})
    verdict(problems_of(stack, deploy_role),
            f"the stack role may do what CloudFormation calls for the stack's {types} resource types, "
            f"in {' and '.join(STAGES)}; the deploy role what the deploy calls, with packages kept "
            f"{PACKAGES_KEPT_DAYS} days or more")


if __name__ == "__main__":
    main()
