"""Checks the stack against what a new AWS account allows, as AWS publishes it.

- Reserved concurrency. Lambda keeps at least 100 of an account's concurrent executions
  unreserved, and a new account's limit may be as low as 10: nothing can be reserved until the
  limit is raised, and a function that reserves any makes the first deploy roll back.
- SES's sandbox. A new account's SES authorises each send against the recipient's identity
  too, so a role that may send only as the domain sends nothing to the verified test addresses.
- The mailer's instances. The mailer paces SES's rate divided among PEOPLE_FIRST_MAILER_INSTANCES;
  without reserved concurrency, what holds it to that number is that its queue is its only
  caller, with the mapping's MaximumConcurrency at the same number. The follow-up mail takes one
  share (PEOPLE_FIRST_RATE_SHARES, the same number) while the mailers are idle: its schedule
  runs it once a minute, never retried, and each run ends within the minute, so never two run.

- Launch day. The table's warm throughput must take what signing writes at the planned burst,
  per signature as the bench measured it (BENCHMARKS.json), not as assumed.
- Stages side by side. Names an account holds once (a web ACL, a table, a queue) are never
  written out, or a second stage's stack collides with the first.

usage: python check_account.py TARGET_INFRA_DIR   (after validate.py has written it)
"""

import json
import pathlib
import sys

from checks import named, verdict

# https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html: "Lambda reserves 100
# units of concurrency for functions that don't explicitly reserve concurrency"; a new
# account's concurrency limit may be lower than the default 1,000.
NEW_ACCOUNT_CONCURRENCY = 10
KEPT_UNRESERVED = 100
MAILER_INSTANCES = "PEOPLE_FIRST_MAILER_INSTANCES"
RATE_SHARES = "PEOPLE_FIRST_RATE_SHARES"


def number(template, value):
    """A number as the template gives it: written, or found in its mappings."""
    if isinstance(value, dict) and "Fn::FindInMap" in value:
        mapping, key, name = value["Fn::FindInMap"]
        value = template["Mappings"][mapping][key][name]
    return int(value)


def reservation_problems(template):
    resources = template["Resources"]
    reservable = max(0, NEW_ACCOUNT_CONCURRENCY - KEPT_UNRESERVED)
    reserving = {
        logical: resource["Properties"]["ReservedConcurrentExecutions"]
        for logical, resource in resources.items()
        if resource["Type"] == "AWS::Lambda::Function"
        and "ReservedConcurrentExecutions" in resource.get("Properties", {})
    }
    provisioned = [
        logical for logical, resource in resources.items()
        if resource["Type"] == "AWS::Lambda::Version"
        and "ProvisionedConcurrencyConfig" in resource.get("Properties", {})
    ]
    problems = []
    if sum(number(template, n) for n in reserving.values()) > reservable:
        for logical, n in sorted(reserving.items()):
            problems.append(f"{logical} reserves {number(template, n)} concurrent executions: a new account, whose limit may "
                            f"be {NEW_ACCOUNT_CONCURRENCY}, keeps {KEPT_UNRESERVED} unreserved and has none to "
                            f"reserve, so the first deploy rolls back")
    for logical in provisioned:
        problems.append(f"{logical} provisions concurrency, which a new account cannot: the first deploy "
                        f"rolls back")
    return problems


def mailer_problems(template):
    resources = template["Resources"]
    problems = []
    for logical, resource in resources.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        variables = resource["Properties"].get("Environment", {}).get("Variables", {})
        if MAILER_INSTANCES not in variables:
            continue
        instances = number(template, variables[MAILER_INSTANCES])
        callers = [
            (caller, other) for caller, other in resources.items()
            if other["Type"] in ("AWS::Lambda::EventSourceMapping", "AWS::Lambda::Permission")
            and named(other["Properties"].get("FunctionName")) == logical
        ]
        if not callers:
            problems.append(f"{logical}: nothing invokes the mailer")
        for caller, other in callers:
            if other["Type"] == "AWS::Lambda::Permission":
                problems.append(f"{logical}: {caller} lets another service invoke the mailer, beside its "
                                f"queue: more than {instances} instances could share SES's rate")
                continue
            most = other["Properties"].get("ScalingConfig", {}).get("MaximumConcurrency")
            if most is None or number(template, most) != instances:
                problems.append(f"{logical}: {caller} may run {most or 'any number of'} instances where the "
                                f"pace is divided among {instances}")
    return problems


def follow_up_problems(template):
    """The follow-up mail divides the rate as the mailers do, and one run at a time sends it."""
    resources = template["Resources"]
    functions = {logical: resource["Properties"] for logical, resource in resources.items()
                 if resource["Type"] == "AWS::Lambda::Function"}
    instances = {number(template, p["Environment"]["Variables"][MAILER_INSTANCES])
                 for p in functions.values() if MAILER_INSTANCES in p.get("Environment", {}).get("Variables", {})}
    problems = []
    for logical, properties in functions.items():
        variables = properties.get("Environment", {}).get("Variables", {})
        if RATE_SHARES not in variables:
            continue
        shares = number(template, variables[RATE_SHARES])
        if instances != {shares}:
            problems.append(f"{logical}: takes one of {shares} shares of SES's rate, where the mailers divide "
                            f"it among {sorted(instances)}")
        if int(properties.get("Timeout", 3)) >= 60:
            problems.append(f"{logical}: a run may last {properties['Timeout']} s, past the next minute's: two "
                            f"would share one share of the rate")
        configs = [r["Properties"] for r in resources.values()
                   if r["Type"] == "AWS::Lambda::EventInvokeConfig"
                   and named(r["Properties"].get("FunctionName")) == logical]
        if not configs or any(c.get("MaximumRetryAttempts") != 0 for c in configs):
            problems.append(f"{logical}: a failed run is retried beside the next minute's")
    return problems


def statements(resource):
    for policy in resource.get("Properties", {}).get("Policies", []):
        if isinstance(policy, dict) and "PolicyDocument" in policy:
            yield from policy["PolicyDocument"]["Statement"]


def sandbox_problems(template):
    """In SES's sandbox a send is authorised against the sender's identity and each
    recipient's (a verified address): a role allowed only the domain's identity gets
    AccessDenied for every test address."""
    problems = []
    for logical, resource in template["Resources"].items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for statement in statements(resource):
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if statement.get("Effect") != "Allow" or not any(a.startswith("ses:Send") for a in actions):
                continue
            listed = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            arns = [r.get("Fn::Sub", "") if isinstance(r, dict) else r for r in listed]
            if not any(arn.endswith(":identity/*") or arn == "*" for arn in arns):
                problems.append(f"{logical}: may send only as the domain's identity, so in SES's sandbox "
                                f"every email to a verified test address is refused")
    return problems


# Names an account (or, at CloudFront's scope, a whole account) holds once: where a template
# writes one out, a second stage's stack collides with the first. (type, where the name is)
UNIQUE_NAMES = {
    "AWS::WAFv2::WebACL": ("Name",),
    "AWS::CloudFront::Function": ("Name",),
    "AWS::CloudFront::CachePolicy": ("CachePolicyConfig", "Name"),
    "AWS::CloudFront::OriginRequestPolicy": ("OriginRequestPolicyConfig", "Name"),
    "AWS::CloudFront::ResponseHeadersPolicy": ("ResponseHeadersPolicyConfig", "Name"),
    "AWS::CloudFront::OriginAccessControl": ("OriginAccessControlConfig", "Name"),
    "AWS::SES::ConfigurationSet": ("Name",),
    "AWS::DynamoDB::Table": ("TableName",),
    "AWS::S3::Bucket": ("BucketName",),
    "AWS::SQS::Queue": ("QueueName",),
    "AWS::SNS::Topic": ("TopicName",),
    "AWS::Lambda::Function": ("FunctionName",),
    "AWS::IAM::Role": ("RoleName",),
    "AWS::SecretsManager::Secret": ("Name",),
    "AWS::Events::Rule": ("Name",),
}


def stage_problems(template, name):
    """Names written out that a second stage's stack would also take."""
    problems = []
    for logical, resource in template["Resources"].items():
        path = UNIQUE_NAMES.get(resource["Type"])
        value = resource.get("Properties", {})
        for step in path or ():
            value = value.get(step) if isinstance(value, dict) else None
        if isinstance(value, str):
            problems.append(f"{name}: {logical} is named {value!r} whatever the stack: a second stage's "
                            f"stack collides with it (name it after ${{AWS::StackName}})")
    return problems


# The burst the campaign plans for (infra/CAPACITY.md), and where the measured writes are.
LAUNCH_SIGNATURES_PER_SECOND = 10_000
BENCHMARKS = pathlib.Path(__file__).resolve().parent.parent / "BENCHMARKS.json"
# The writes each new signature makes as it is signed, by item and event (the rest, the mailed
# mark and the confirmation, follow at the mail's pace and people's clicks).
WRITTEN_AT_SIGNING = ("mailbox INSERT", "signature INSERT")


def throughput_problems(template, benchmarks):
    """The table's warm throughput on launch day against what signing writes, as the bench
    measured it per signature: a table that takes fewer writes at once throttles the burst."""
    by_kind = benchmarks["wcu"]["by_kind"]
    per_signature = sum(by_kind.get(kind, 0) for kind in WRITTEN_AT_SIGNING)
    needed = round(LAUNCH_SIGNATURES_PER_SECOND * per_signature)
    warm = int(template["Parameters"]["LaunchWarmWritesPerSecond"]["Default"])
    if warm < needed:
        return [(f"LaunchWarmWritesPerSecond is {warm}: signing writes {per_signature:.2f} units a signature "
                f"(BENCHMARKS.json), {needed} a second at {LAUNCH_SIGNATURES_PER_SECOND} signatures a second")]
    return []


def problems_of(template, edge=None, benchmarks=None):
    problems = reservation_problems(template) + mailer_problems(template) + follow_up_problems(template)
    problems += sandbox_problems(template)
    if benchmarks is not None:
        problems += throughput_problems(template, benchmarks)
    problems += stage_problems(template, "template.yaml")
    if edge is not None:
        problems += stage_problems(edge, "edge.yaml")
    return problems


def main():
    target = pathlib.Path(sys.argv[1])
    template = json.loads((target / "template.json").read_text())
    edge = json.loads((target / "edge.json").read_text())
    benchmarks = json.loads(BENCHMARKS.read_text())
    verdict(problems_of(template, edge, benchmarks),
            "no concurrency reserved or provisioned (a new account has none), the mailer runs only "
            "as many instances as its pace is divided among, mail goes to the sandbox's verified "
            "addresses, a second stage's stacks take names of their own, and the table's warm "
            "throughput takes the launch's writes as measured")


if __name__ == "__main__":
    main()
