"""Checks that the CDN stands between the public and the API: every function behind the HTTP
API is told the secret that the distribution's API origin sends, no output gives out the API's own
address, a cached API path has a cache key of at most the five languages (normalised by a viewer
function) and a source in a code's shape, error pages do not replace the API's answers, a firewall rate rule covers /api/, and
the CDN's functions know the languages of locales/languages, in its order.

usage: python check_edge.py
"""

import json
import pathlib
import re

from cfnlint.decode import cfn_yaml
from checks import named, verdict

HERE = pathlib.Path(__file__).resolve().parent
ORIGIN_HEADER = "x-people-first-origin"
# CloudFront's managed CachingDisabled policy.
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


def load(name):
    return cfn_yaml.load(str(HERE / name))


def languages():
    """The one list of the campaign's languages, which the library is built from."""
    lines = (HERE.parent / "locales" / "languages").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def language_problems(resources):
    """A CloudFront function's own LANGUAGES list, where it has one, is the campaign's."""
    problems = []
    for name, resource in resources.items():
        if resource["Type"] != "AWS::CloudFront::Function":
            continue
        declared = re.search(r"var LANGUAGES = \[([^\]]*)\]", str(resource["Properties"]["FunctionCode"]))
        if declared:
            listed = re.findall(r"'([a-z]+)'", declared.group(1))
            if listed != languages():
                problems.append(f"{name} knows the languages {listed}, not locales/languages' {languages()}")
    return problems


def problems_of(template, edge):
    resources = template["Resources"]
    problems = []
    distribution = next(r for r in resources.values() if r["Type"] == "AWS::CloudFront::Distribution")
    config = distribution["Properties"]["DistributionConfig"]
    if config.get("CustomErrorResponses"):
        problems.append("the distribution's error pages would replace the API's own answers too")

    api_origins = [o for o in config["Origins"] if "execute-api" in json.dumps(o["DomainName"])]
    secrets = set()
    for origin in api_origins:
        headers = {h["HeaderName"].lower(): h["HeaderValue"] for h in origin.get("OriginCustomHeaders", [])}
        value = json.dumps(headers.get(ORIGIN_HEADER, ""))
        resolved = [name for name, r in resources.items()
                 if r["Type"] == "AWS::SecretsManager::Secret" and "{{resolve:secretsmanager:${" + name + "}" in value]
        if not resolved:
            problems.append(f"the origin {origin['Id']} sends no {ORIGIN_HEADER} from a secret of the stack")
        secrets |= set(resolved)
    globals_env = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    for name, resource in resources.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        events = resource["Properties"].get("Events", {}).values()
        if not any(e["Type"] == "HttpApi" for e in events):
            continue
        env = {**globals_env, **resource["Properties"].get("Environment", {}).get("Variables", {})}
        if named(env.get("PEOPLE_FIRST_ORIGIN_SECRET_ARN")) not in secrets:
            problems.append(f"{name}: answers the API without the secret its CDN origin sends")

    for name, output in template.get("Outputs", {}).items():
        if "execute-api" in json.dumps(output) or "ApiEndpoint" in json.dumps(output):
            problems.append(f"the output {name} gives out the API's own address")
    if not config.get("WebACLId"):
        problems.append("the distribution has no web ACL: no firewall rule applies")

    api_ids = {o["Id"] for o in api_origins}
    # Signing refuses a form on another site by the headers browsers add: the CDN must pass them.
    for behaviour in config.get("CacheBehaviors", []):
        if behaviour["TargetOriginId"] in api_ids and behaviour["PathPattern"] == "/api/*":
            policy = resources.get(named(behaviour.get("OriginRequestPolicyId")), {})
            headers = policy.get("Properties", {}).get("OriginRequestPolicyConfig", {}).get("HeadersConfig", {})
            missing = {"origin", "sec-fetch-site"} - {h.lower() for h in headers.get("Headers", [])}
            if headers.get("HeaderBehavior") != "allViewer" and missing:
                problems.append(f"/api/*: the CDN does not pass {', '.join(sorted(missing))} to sign")
    for behaviour in config.get("CacheBehaviors", []):
        if behaviour["TargetOriginId"] not in api_ids or behaviour["CachePolicyId"] == CACHING_DISABLED:
            continue
        path = behaviour["PathPattern"]
        if named(behaviour["CachePolicyId"]) not in resources:
            problems.append(f"{path}: a managed cache policy, whose key this check cannot read")
            continue
        policy = resources[named(behaviour["CachePolicyId"])]["Properties"]["CachePolicyConfig"]
        # What reads may come uncached; a form's POST always reaches the function.
        reads = {"GET", "HEAD", "OPTIONS"}
        uncached = (set(behaviour.get("AllowedMethods", [])) & reads) - set(behaviour.get("CachedMethods", ["GET", "HEAD"]))
        if uncached:
            problems.append(f"{path}: {', '.join(sorted(uncached))} reach the function uncached")
        key = policy["ParametersInCacheKeyAndForwardedToOrigin"]
        queries = key["QueryStringsConfig"]
        keyed = set(queries.get("QueryStrings", []))
        if queries["QueryStringBehavior"] != "whitelist" or keyed - {"lang", "source", "partner", "step"}:
            problems.append(f"{path}: its cache key takes query strings other than lang, source, partner and step")
        if key["HeadersConfig"]["HeaderBehavior"] != "none" or key["CookiesConfig"]["CookieBehavior"] != "none":
            problems.append(f"{path}: its cache key takes headers or cookies")
        viewer = [resources.get(named(a["FunctionARN"]), {}) for a in behaviour.get("FunctionAssociations", [])
                  if a["EventType"] == "viewer-request"]
        codes = [f.get("Properties", {}).get("FunctionCode", "") for f in viewer]
        # The function must replace the whole query string with lang alone …
        if not any(re.search(r"request\.querystring\s*=\s*\{\s*lang:", code) for code in codes):
            problems.append(f"{path}: no viewer function keeps lang to the five languages")
        # … and add a code only in a code's shape, the step only as its one value: any other
        # value would be a key of its own.
        for name in sorted(keyed & {"source", "partner"}):
            shaped = (r"var CODE = /\^\[a-z0-9\]\{1,10\}\$/;[\s\S]*if \(CODE\.test\(code\)\) request\.querystring\."
                      + name + " =")
            if not any(re.search(shaped, code) for code in codes):
                problems.append(f"{path}: no viewer function keeps {name} to a code's shape")
        if "step" in keyed and not any("request.querystring.step = { value: 'sent' }" in code for code in codes):
            problems.append(f"{path}: no viewer function keeps step to its one value")

    acl = next(r for r in edge["Resources"].values() if r["Type"] == "AWS::WAFv2::WebACL")["Properties"]
    # The privacy policy says no IP address is kept: WAF's sampled requests would keep them.
    for name, visibility in [("the web ACL", acl["VisibilityConfig"])] + [
            (f"the rule {rule['Name']}", rule["VisibilityConfig"]) for rule in acl["Rules"]]:
        if visibility.get("SampledRequestsEnabled"):
            problems.append(f"{name} keeps sampled requests (IP addresses and URLs) the privacy policy says are not kept")
    rules = acl["Rules"]
    covering = [rule["Name"] for rule in rules
                if "RateBasedStatement" in rule["Statement"] and "Block" in rule.get("Action", {})
                and '"SearchString": "/api/"' in json.dumps(rule["Statement"]["RateBasedStatement"].get("ScopeDownStatement"))]
    if not covering:
        problems.append("no firewall rate rule covers /api/")
    # Every address that signs or sends email is held to the signing rate, the framed form's
    # POST with it.
    signing = [json.dumps(rule["Statement"]["RateBasedStatement"].get("ScopeDownStatement"))
               for rule in rules if rule.get("VisibilityConfig", {}).get("MetricName") == "signing-rate-per-address"]
    for path in ("/api/sign", "/api/confirm", "/api/organisations", "/api/frame"):
        if not any(f'"SearchString": "{path}"' in scope for scope in signing):
            problems.append(f"the signing rate rule does not cover {path}")
    # CloudFront refuses a cache or headers policy whose comment passes 128 characters.
    for name, resource in resources.items():
        config = resource.get("Properties", {}).get("CachePolicyConfig") or {}
        if len(config.get("Comment", "")) > 128:
            problems.append(f"{name}: a comment of {len(config['Comment'])} characters, over CloudFront's 128")
    return problems + language_problems(resources) + alarm_problems(edge, acl)


def alarm_problems(edge, acl):
    """The firewall's alarms watch its metrics as CloudFront's firewall reports them: under the
    web ACL's metric name, a rule's or ALL, and no Region. An alarm on any other dimension never
    fires. And some alarm watches what it blocks."""
    rule_metrics = {rule["VisibilityConfig"]["MetricName"] for rule in acl["Rules"]} | {"ALL"}
    problems, watched = [], []
    for name, resource in edge["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] != "AWS::CloudWatch::Alarm" or properties.get("Namespace") != "AWS/WAFV2":
            continue
        dimensions = {d["Name"]: d["Value"] for d in properties.get("Dimensions", [])}
        if dimensions.get("WebACL") != acl["VisibilityConfig"]["MetricName"]:
            problems.append(f"{name} watches the web ACL {dimensions.get('WebACL')}, not the firewall's metric name")
        if dimensions.get("Rule") not in rule_metrics or set(dimensions) != {"WebACL", "Rule"}:
            problems.append(f"{name} watches dimensions {sorted(dimensions.items())}, which a CloudFront "
                            "firewall does not report")
        watched.append(properties.get("MetricName"))
    if "BlockedRequests" not in watched:
        problems.append("no alarm watches the requests the firewall blocks")
    return problems


def main():
    problems = problems_of(load("template.yaml"), load("edge.yaml"))
    verdict(problems, "the API answers through the CDN only, under a cache key of five languages at most, "
                      "sign hears where a form came from, and an alarm watches what the firewall blocks")


if __name__ == "__main__":
    main()
