"""Checks the template against the code: every function binary of the workspace has a function
in the template and the other way round, and each function's IAM actions on the table, SES and
Secrets Manager are exactly those its code can call. Both sides are read, not listed by hand:
the template's policies, and the code's AWS SDK calls, followed from each function's main.rs
through the handler it runs, the port methods that handler reaches, and the adapter methods
that implement them.

usage: python check_functions.py
"""

import pathlib
import re
import sys

from cfnlint.decode import cfn_yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT / "shared" / "src"

# The SDK's operations, as the code calls them, and the IAM actions each needs. A transaction
# needs the action of each item it writes, and the counter's transaction only updates. HeadObject
# on a missing key answers 404 only to a caller that may list the bucket, and 403 otherwise,
# which the code reads as a failure, not as "absent".
ACTIONS = {
    "get_item": "dynamodb:GetItem",
    "put_item": "dynamodb:PutItem",
    "update_item": "dynamodb:UpdateItem",
    "delete_item": "dynamodb:DeleteItem",
    "transact_write_items": "dynamodb:UpdateItem",
    "scan": "dynamodb:Scan",
    "batch_get_item": "dynamodb:BatchGetItem",
    "query": "dynamodb:Query",
    "send_raw_email": "ses:SendRawEmail",
    "send_message_batch": "sqs:SendMessage",
    "get_secret_value": "secretsmanager:GetSecretValue",
    "put_object": "s3:PutObject",
    "head_object": ("s3:GetObject", "s3:ListBucket"),
    "create_invalidation": "cloudfront:CreateInvalidation",
}
# The items a transaction writes, each built as `Put::builder()` or `Update::builder()`.
TRANSACTION_ITEMS = {"Put": "put_item", "Update": "update_item", "Delete": "delete_item"}
# Services whose actions the code's calls decide; the rest (stream and queue reading, the failure
# queue, KMS) are what Lambda's event source mappings and encryption need, not the code. Sending
# to a failure queue is Lambda's, and is left out where a function's own mapping or dead-letter
# queue names that queue.
DECIDED_BY_CODE = ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Scan",
                   "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem", "ses:", "secretsmanager:",
                   "sqs:SendMessage", "s3:", "cloudfront:")


def rust_sources():
    """The library as the functions build it: `testing/` is compiled only for the tests, and its
    helpers' names would otherwise stand for the functions' own."""
    return {path: path.read_text() for path in SHARED.rglob("*.rs")
            if (SHARED / "testing") not in path.parents}


def bodies(sources):
    """Every `fn name(...) { ... }` of the library: name -> list of bodies (names repeat)."""
    found = {}
    for text in sources.values():
        for match in re.finditer(r"\bfn\s+(\w+)\s*(?:<[^{]*?>)?\s*\(", text):
            start = text.find("{", match.end())
            depth, end = 0, start
            for end in range(start, len(text)):
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                if depth == 0:
                    break
            found.setdefault(match.group(1), []).append(text[start:end + 1])
    return found


def impl_methods(text, trait):
    """The methods of `impl TRAIT for ...` blocks in a file: name -> body."""
    methods = {}
    for block in re.finditer(r"impl\s+" + trait + r"\s+for\s+\w+\s*\{", text):
        depth, end = 0, block.end() - 1
        for end in range(block.end() - 1, len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
        for name, body in bodies({None: text[block.end():end]}).items():
            methods[name] = body[0]
    return methods


# The sending and follow-up use cases' methods, which their handlers reach through a value, not
# by name.
USE_CASE_METHODS = {("handle_mail_requests", "send_all"), ("send_all", "send"), ("send", "send_in_turn"),
                    ("send_in_turn", "email_for"), ("send_all", "read_the_guard"),
                    ("send_all", "count_what_was_sent"), ("send_in_turn", "reaches_a_domain_that_takes_mail"),
                    ("reaches_a_domain_that_takes_mail", "email_for"),
                    ("handle_follow_up", "send_what_is_due"), ("send_what_is_due", "send_until_stopped"),
                    ("send_until_stopped", "remind_a_page"), ("send_until_stopped", "send_a_page"),
                    ("remind_a_page", "reminder_pass"),
                    ("remind_a_page", "remind"), ("remind_a_page", "move_pass"),
                    ("send_a_page", "send_update"), ("send_a_page", "move_update"),
                    ("remind", "deliver"), ("send_update", "deliver")}


def reachable(start, functions, limit=8):
    """From `start`, the library functions it calls (followed) and the methods they call (which
    may be port methods: `store.find(..)`). Methods are followed only into a use case's own
    methods (`sending.send_all(..)`, `self.send(..)`), named in USE_CASE_METHODS, so that a name
    shared by unrelated types (`count`, `apply`) does not lead astray."""
    seen, methods, frontier = set(), set(), {start}
    for _ in range(limit):
        called = set()
        for name in frontier:
            for body in functions.get(name, []):
                called |= set(re.findall(r"(?<![.\w])(\w+)\s*(?:::<[^>]*>)?\(", body))
                # A port method never takes a closure: `.find(|x| ..)` is an iterator's.
                found = set(re.findall(r"\.(\w+)\s*\((?!\s*(?:move\s*)?\|)", body))
                methods |= found
                called |= {m for m in found if (name, m) in USE_CASE_METHODS}
        frontier = called - seen
        seen |= called
    return methods


def operations(body, helpers, depth=3):
    """The SDK operations a method calls, itself or through `self.helper(..)` of its file."""
    found = {op for op in re.findall(r"\.(\w+)\(\)", body) if op in ACTIONS}
    found |= {TRANSACTION_ITEMS[item] for item in re.findall(r"\b(Put|Update|Delete)::builder\(\)", body)}
    if depth:
        for helper in re.findall(r"self\s*\.(\w+)\(", body):
            for helper_body in helpers.get(helper, []):
                found |= operations(helper_body, helpers, depth - 1)
    return found


def port_traits():
    """Every trait of the ports, as ports.rs declares them: a port split in two, or added, is
    read without a list here to keep up."""
    return re.findall(r"^pub trait (\w+)", (SHARED / "ports.rs").read_text(), re.MULTILINE)


def delegated(called, adapters, main_text, traits):
    """The port methods that adapters built in main.rs call on the ports they wrap, followed
    until nothing new is reached: `ApprovedPartners::partner` reads the supporters' store, so
    signing needs that store's query."""
    while True:
        more = set()
        for adapter_file in adapters:
            source = adapter_file.read_text()
            helpers = bodies({adapter_file: source})
            for trait in traits:
                for wrapper in re.findall(r"impl\s+" + trait + r"\s+for\s+(\w+)", source):
                    if re.search(r"\b" + wrapper + r"::", main_text) is None:
                        continue
                    for method, body in impl_methods(source, trait).items():
                        if method not in called:
                            continue
                        own = [body] + [h for name in re.findall(r"self\.(\w+)\(", body)
                                        for h in helpers.get(name, [])]
                        for text in own:
                            more |= set(re.findall(r"\.(\w+)\s*\((?!\s*(?:move\s*)?\|)", text))
        if more <= called:
            return called
        called |= more


def code_actions(main_rs, functions, adapters):
    text = main_rs.read_text()
    # The handlers the runtime calls, directly, through the edge's guard, or through a
    # function's router (`sign::route`: the form and its frame).
    called = set()
    for handler in set(re.findall(r"\b(handle_\w+|route)\(", text)):
        called |= reachable(handler, functions)
    traits = port_traits()
    called = delegated(called, adapters, text, traits)
    ops = set()
    for adapter_file in adapters:
        source = adapter_file.read_text()
        # The adapters main.rs builds: DynamoStore, SesMailer.
        if re.search(r"\b" + adapter_file.stem.split("_")[0].capitalize() + r"\w*::", text) is None:
            continue
        helpers = bodies({adapter_file: source} | ({SHARED / "adapters" / "dynamo.rs": (SHARED / "adapters" / "dynamo.rs").read_text()}))
        for trait in traits:
            for method, body in impl_methods(source, trait).items():
                if method in called:
                    ops |= operations(body, helpers)
    # The secrets read at cold start: the master key, and the CDN's origin secret.
    if "config::keyring" in text or "config::edge_secret" in text:
        for body in functions["read_secret"]:
            ops |= operations(body, {})
    needed = set()
    for op in ops:
        actions = ACTIONS[op]
        needed |= {actions} if isinstance(actions, str) else set(actions)
    return needed


def built_binary(logical, resource, problems):
    """The binary `sam build` puts in a function's bootstrap. For `rust-cargolambda`, SAM CLI
    reads it from Metadata.BuildProperties.Binary and runs `cargo lambda build --bin NAME` in
    CodeUri: that folder must be the binary's own package, or cargo looks for it among the
    workspace's default members. Functions are named after their binary (`sign`: SignFunction),
    which is how the check of `sam build` finds each bootstrap."""
    metadata = resource.get("Metadata", {})
    binary = metadata.get("BuildProperties", {}).get("Binary")
    if metadata.get("BuildMethod") != "rust-cargolambda" or not binary:
        problems.append(f"{logical}: no BuildMethod rust-cargolambda with BuildProperties.Binary")
        return None
    named = "".join(word.capitalize() for word in binary.split("-")) + "Function"
    if logical != named:
        problems.append(f"{logical}: builds {binary}, so it should be named {named}")
    if resource["Properties"].get("CodeUri") != f"../functions/{binary}":
        problems.append(f"{logical}: CodeUri must be ../functions/{binary}, the package of {binary}")
    return binary


def template_functions(problems):
    template = cfn_yaml.load(str(ROOT / "infra" / "template.yaml"))
    result = {}
    for logical, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        binary = built_binary(logical, resource, problems)
        if binary is None:
            continue
        failure_queues = [event["Properties"].get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
                          for event in resource["Properties"].get("Events", {}).values()]
        failure_queues.append(resource["Properties"].get("DeadLetterQueue", {}).get("TargetArn"))
        actions = set()
        for policy in resource["Properties"].get("Policies", []):
            for statement in policy.get("Statement", []):
                if statement.get("Resource") in failure_queues:
                    continue
                listed = statement["Action"]
                actions |= set([listed] if isinstance(listed, str) else listed)
        result[binary] = actions
    return result


def counted_metrics(sources):
    """The metrics the code counts: `count("Name")`, or `count(NAME)` of a `const NAME: &str`."""
    constants = {name: value for text in sources.values()
                 for name, value in re.findall(r'const (\w+): &str = "(\w+)";', text)}
    counted = set()
    for text in sources.values():
        counted |= set(re.findall(r'count(?:_n)?\("(\w+)"', text))
        counted |= {constants[name] for name in re.findall(r'count\(([A-Z_]+)\)', text) if name in constants}
    return counted


def custom_metric_problems(template, sources):
    """Alarms on the stack's own metrics (namespace PeopleFirst) watch a metric the code counts
    (`telemetry::count("Name")`): an alarm on a name no code emits can never fire."""
    counted = counted_metrics(sources)
    problems = []
    for logical, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::CloudWatch::Alarm":
            continue
        properties = resource.get("Properties", {})
        # An alarm on one metric, or on metric math over several.
        watched = [properties] + [query["MetricStat"]["Metric"] for query in properties.get("Metrics", [])
                                  if "MetricStat" in query]
        for metric in watched:
            if metric.get("Namespace") == "PeopleFirst" and metric.get("MetricName") not in counted:
                problems.append(f"{logical}: watches PeopleFirst/{metric.get('MetricName')}, which no code counts")
    return problems


def function_binaries():
    """Each function's binary name and its main.rs."""
    binaries = {}
    for manifest in sorted((ROOT / "functions").glob("*/Cargo.toml")):
        name = re.search(r'^name\s*=\s*"([^"]+)"', manifest.read_text(), re.MULTILINE).group(1)
        binaries[name] = manifest.parent / "src" / "main.rs"
    return binaries


# Every adapter of the AWS SDK's services (the embedded store's folder has none).
ADAPTERS = sorted((SHARED / "adapters").glob("*.rs"))


def function_actions(name):
    """The IAM actions the code of one function can call."""
    return code_actions(function_binaries()[name], bodies(rust_sources()), ADAPTERS)


def main():
    binaries = function_binaries()
    problems = []
    deployed = template_functions(problems)
    for name in sorted(set(binaries) - set(deployed)):
        problems.append(f"{name}: a binary with no function in the template")
    for name in sorted(set(deployed) - set(binaries)):
        problems.append(f"{name}: a function in the template with no binary")
    sources = rust_sources()
    problems += custom_metric_problems(cfn_yaml.load(str(ROOT / "infra" / "template.yaml")), sources)
    functions = bodies(sources)
    for name in sorted(set(binaries) & set(deployed)):
        needed = code_actions(binaries[name], functions, ADAPTERS)
        granted = {a for a in deployed[name] if a.startswith(DECIDED_BY_CODE)}
        for action in sorted(needed - granted):
            problems.append(f"{name}: the code calls {action}, which the template does not grant")
        for action in sorted(granted - needed):
            problems.append(f"{name}: the template grants {action}, which the code never calls")
        print(f"{name}: {', '.join(sorted(needed)) or 'no AWS call'}")
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
