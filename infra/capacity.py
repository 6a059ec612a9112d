"""Writes infra/CAPACITY.md from CAPACITY.template.md: every figure in it is read from the
templates as SAM expands them (validate.py writes them) or from what `tests/bench` measured
(BENCHMARKS.json), never typed by hand. `check` fails when CAPACITY.md differs from what it would
write, so a changed template or a new benchmark run cannot leave the plan behind.

usage: python capacity.py write|check TARGET_INFRA_DIR
"""

import json
import math
import pathlib
import sys

from check_functions import counted_metrics, rust_sources
from checks import named, verdict

HERE = pathlib.Path(__file__).resolve().parent
BENCHMARKS = HERE.parent / "BENCHMARKS.json"
# The burst the plan is for (DESIGN: 10,000 signatures a second when a news story breaks).
SIGNATURES_PER_SECOND = 10_000
# A new on-demand table's warm writes, before any is bought (DynamoDB's documentation).
NEW_TABLE_WRITES_PER_SECOND = 4_000
BURST = 100_000
RATES = (14, 200, 1000)


def grouped(number):
    return f"{number:,}"


def duration(seconds):
    """A wait as a person reads it: 48 s, 4 min 8 s, 1 h 58 min."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def resources_of(template, kind):
    return {name: r["Properties"] for name, r in template["Resources"].items() if r["Type"] == kind}


def default(template, parameter):
    return template["Parameters"][parameter]["Default"]


def event_source(template, function):
    """What the named function reads, and in what batches."""
    for properties in resources_of(template, "AWS::Lambda::EventSourceMapping").values():
        if named(properties["FunctionName"]) == function:
            return properties
    raise LookupError(f"{function} reads nothing")


def wait_table(mail):
    rows = [("| SES rate | half the signers have their email within | 99 % within | the last | "
            "with 5 % of SES calls failing, 99 % within |"),
            "|---|---|---|---|---|"]
    labels = {14: "14/s (a new production account)"}
    for rate in RATES:
        run = mail[str(rate)]
        rows.append(f"| {labels.get(rate, f'{rate:,}/s')} | {duration(run['p50_s'])} | {duration(run['p99_s'])} | "
                    f"{duration(run['max_s'])} | {duration(run['with_faults']['p99_s'])} |")
    return "\n".join(rows)


def figures(template, edge, measured):
    """Every figure CAPACITY.template.md names."""
    page = measured["home_page"]
    visit_requests = page["files_fetched"] + 1
    visit_bytes = max(page["total_bytes"].values())
    by_kind = measured["wcu"]["by_kind"]
    signing_writes = by_kind["mailbox INSERT"] + by_kind["signature INSERT"]
    sign_p99_s = max(timing["lambda_p99_ms"] for timing in measured["privacy"]["sign_timing"].values()
                     if isinstance(timing, dict) and "lambda_p99_ms" in timing) / 1000
    sign_p50_ms = max(timing["lambda_p50_ms"] for timing in measured["privacy"]["sign_timing"].values()
                      if isinstance(timing, dict) and "lambda_p50_ms" in timing)
    queues = resources_of(template, "AWS::SQS::Queue")
    mail_queue = queues["MailQueue"]
    alarms = resources_of(template, "AWS::CloudWatch::Alarm")
    iterator = alarms["MailQueueIteratorAgeAlarm"]
    stage = next(iter(resources_of(template, "AWS::ApiGatewayV2::Stage").values()))
    count_cache = resources_of(template, "AWS::CloudFront::CachePolicy")["CountCache"]["CachePolicyConfig"]
    aggregate = event_source(template, "AggregateFunction")
    quota = measured["mail"]["daily_quota"]
    counted = counted_metrics(rust_sources())
    warm_default = int(default(template, "LaunchWarmWritesPerSecond"))
    return {
        "files_fetched": page["files_fetched"],
        "visit_requests": visit_requests,
        "cdn_requests_per_s": grouped(visit_requests * SIGNATURES_PER_SECOND),
        "visit_kb": round(visit_bytes / 1000),
        "cdn_gbps": f"{SIGNATURES_PER_SECOND * visit_bytes * 8 / 1e9:.1f}",
        "sign_limit": grouped(int(default(edge, "SignRequestsPer5Minutes"))),
        "api_limit": grouped(int(default(edge, "ApiRequestsPer5Minutes"))),
        "blocked_alarm": grouped(int(default(edge, "BlockedRequestsPer5Minutes"))),
        "route_limit": grouped(stage["DefaultRouteSettings"]["ThrottlingRateLimit"]),
        "sign_p50_ms": round(sign_p50_ms),
        "sign_p99_ms": round(sign_p99_s * 1000),
        "sign_p99_s": f"{sign_p99_s:.3f}",
        "sign_concurrency": grouped(math.ceil(SIGNATURES_PER_SECOND * sign_p99_s / 10) * 10),
        "signing_writes": f"{signing_writes:g}",
        "warm_needed": grouped(round(signing_writes * SIGNATURES_PER_SECOND)),
        "wcu_per_signature": f"{measured['wcu']['per_signature']:g}",
        "warm_default": grouped(warm_default),
        "warm_raise": grouped(warm_default - NEW_TABLE_WRITES_PER_SECOND),
        "new_table_writes": grouped(NEW_TABLE_WRITES_PER_SECOND),
        "queue_days": mail_queue["MessageRetentionPeriod"] // 86400,
        "max_receives": grouped(mail_queue["RedrivePolicy"]["maxReceiveCount"]),
        "visibility_minutes": mail_queue["VisibilityTimeout"] // 60,
        "iterator_minutes": iterator["EvaluationPeriods"] * iterator["Period"] // 60,
        "iterator_behind": duration(iterator["Threshold"] / 1000).replace("1 min", "a minute"),
        "age_alarm": duration(alarms["MailQueueAgeAlarm"]["Threshold"]).replace("1 h", "an hour"),
        "burst_at_200": duration(BURST / 200),
        "burst_at_14": duration(BURST / 14),
        "aggregate_batch": grouped(aggregate["BatchSize"]),
        "aggregate_window": aggregate["MaximumBatchingWindowInSeconds"],
        "count_ttl": count_cache["DefaultTTL"],
        "wait_table": wait_table(measured["mail"]),
        "lost_at_rates": sum(measured["mail"][str(rate)]["lost"] + measured["mail"][str(rate)]["with_faults"]["lost"]
                             for rate in RATES),
        "quota_signers": grouped(quota["signers"]),
        "daily_quota": grouped(quota["daily_quota"]),
        "quota_rate": quota["rate"],
        "sent_day_1": grouped(quota["sent_day_1"]),
        "sent_day_2": grouped(quota["sent_day_2"]),
        "to_failure_queue": grouped(quota["to_failure_queue"]),
        "quota_lost": grouped(quota["lost"]),
        "alarm_metrics": alarm_metrics(alarms) + alarm_metrics(resources_of(edge, "AWS::CloudWatch::Alarm")),
        "dashboards": len(resources_of(template, "AWS::CloudWatch::Dashboard")),
        "custom_metrics": len(counted),
    }


def price_problems(figures_of_stack, prices):
    """The cost model's CloudWatch line counts what the stack has, and sums to its month."""
    line = next(line for line in prices["lines"] if line["service"] == "CloudWatch")
    problems = [f"tests/prices.json counts {line['counts'][kind]} {kind.replace('_', ' ')}; the stack has "
                f"{figures_of_stack[kind]}" for kind in line["counts"] if line["counts"][kind] != figures_of_stack[kind]]
    month = round(sum(line["counts"][kind] * line["monthly_each"][kind] for kind in line["counts"]), 2)
    if month != line["monthly"]:
        problems.append(f"tests/prices.json's CloudWatch month is ${line['monthly']}, its counts make ${month}")
    return problems


def alarm_metrics(alarms):
    """What CloudWatch bills alarms by: each metric an alarm reads, one for an alarm on a metric,
    each of its metrics for one on metric math."""
    return sum(max(1, sum("MetricStat" in query for query in alarm.get("Metrics", [])))
               for alarm in alarms.values())


def rendered(target):
    template = json.loads((target / "template.json").read_text())
    edge = json.loads((target / "edge.json").read_text())
    measured = json.loads(BENCHMARKS.read_text())
    text = (HERE / "CAPACITY.template.md").read_text()
    found = figures(template, edge, measured)
    prices = json.loads((HERE.parent / "tests" / "prices.json").read_text())
    return text.format(**found), price_problems(found, prices)


def main():
    command, target = sys.argv[1], pathlib.Path(sys.argv[2])
    written = HERE / "CAPACITY.md"
    text, problems = rendered(target)
    if command == "write":
        written.write_text(text)
        print(f"wrote {written.name}")
    elif not written.exists() or written.read_text() != text:
        problems.append("infra/CAPACITY.md is not what the templates and BENCHMARKS.json give: run "
                        "`python infra/capacity.py write target/infra` with the infrastructure tools' Python")
    verdict(problems, "infra/CAPACITY.md: every figure is the templates' and BENCHMARKS.json's, and the cost "
                      "model counts the stack's alarms, dashboards and metrics")


if __name__ == "__main__":
    main()
