"""The infrastructure checks catch what they are for: each test breaks the expanded template the
way a launch-day mistake would, and the check must name it.

usage: python -m unittest infra/test_checks.py   (after validate.py has written target/infra)
"""

import json
import pathlib
import sys
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from capacity import figures, price_problems, rendered
from check_account import problems_of as account_problems
from check_data import problems_of, reattach_problems
from check_delivery import Delivery
from check_edge import load
from check_edge import problems_of as edge_problems
from check_functions import (
    counted_metrics,
    custom_metric_problems,
    function_actions,
    operations,
    port_traits,
    rust_sources,
)
from check_readme import api_functions, known_names
from check_readme import problems_of as readme_problems
from check_roles import problems_of as roles_problems
from check_stack_role import problems_of as stack_role_problems
from check_stack_role import registry_schema

EXPANDED = HERE.parent / "target" / "infra" / "template.json"


def expanded():
    return json.loads(EXPANDED.read_text())


def statements_of(resource):
    return resource["Properties"]["KeyPolicy"]["Statement"]


class DeliveryTest(unittest.TestCase):
    def problems(self, template):
        return "\n".join(Delivery(template).run())

    def test_the_stack_as_written_delivers_everything(self):
        self.assertEqual(self.problems(expanded()), "")

    def test_an_aws_managed_key_on_the_alarm_topic_silences_every_alarm(self):
        template = expanded()
        template["Resources"]["Alarms"]["Properties"]["KmsMasterKeyId"] = "alias/aws/sns"
        self.assertIn("StreamFailuresAlarm: Alarms is encrypted with alias/aws/sns", self.problems(template))

    def test_a_key_policy_without_ses_drops_mail_events(self):
        template = expanded()
        key = template["Resources"]["NotificationKey"]
        key["Properties"]["KeyPolicy"]["Statement"] = [
            s for s in statements_of(key) if s.get("Principal", {}).get("Service") != "ses.amazonaws.com"]
        self.assertIn("MailEventsDestination: the key of MailEvents does not let ses.amazonaws.com",
                      self.problems(template))

    def test_a_topic_policy_without_cloudwatch_drops_alarms(self):
        template = expanded()
        template["Resources"]["AlarmsPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Principal"] = {
            "Service": "events.amazonaws.com"}
        self.assertIn("AlarmsPolicy does not let cloudwatch.amazonaws.com publish", self.problems(template))

    def without_encrypting(self, template, role):
        for policy in template["Resources"][role]["Properties"]["Policies"]:
            for statement in policy["PolicyDocument"]["Statement"]:
                if statement["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]:
                    statement["Action"] = "kms:Decrypt"
        return template

    def test_a_role_that_cannot_encrypt_loses_failed_stream_records(self):
        template = self.without_encrypting(expanded(), "AggregateFunctionRole")
        self.assertIn("AggregateFunctionRole lacks kms:GenerateDataKey on DataKey", self.problems(template))

    def test_a_role_that_cannot_encrypt_queues_no_email(self):
        template = self.without_encrypting(expanded(), "MailQueueFunctionRole")
        self.assertIn("MailQueueFunction: MailQueueFunctionRole lacks kms:GenerateDataKey on DataKey, the key of MailQueue",
                      self.problems(template))

    def test_a_dead_letter_queue_the_function_cannot_encrypt_for_loses_ses_events(self):
        template = self.without_encrypting(expanded(), "MailEventsFunctionRole")
        self.assertIn("MailEventsFunction: MailEventsFunctionRole lacks kms:GenerateDataKey on DataKey, the key of MailEventFailures",
                      self.problems(template))

    def test_a_mailer_that_cannot_decrypt_reads_no_queued_email(self):
        template = expanded()
        for policy in template["Resources"]["MailerFunctionRole"]["Properties"]["Policies"]:
            policy["PolicyDocument"]["Statement"] = [
                s for s in policy["PolicyDocument"]["Statement"] if s["Action"] != "kms:Decrypt"]
        self.assertIn("MailerFunctionRole lacks kms:Decrypt on DataKey, the key of MailQueue", self.problems(template))

    def test_a_role_that_cannot_send_to_the_queue_loses_failed_stream_records(self):
        template = expanded()
        role = template["Resources"]["AggregateFunctionRole"]
        for policy in role["Properties"]["Policies"]:
            policy["PolicyDocument"]["Statement"] = [
                s for s in policy["PolicyDocument"]["Statement"] if s["Action"] != "sqs:SendMessage"]
        self.assertIn("AggregateFunctionRole may not sqs:SendMessage to StreamFailures", self.problems(template))

    def test_a_queue_a_function_only_watches_is_not_one_it_sends_to(self):
        self.assertEqual([p for p in self.problems(expanded()) if "FollowUp" in p], [])

    def test_a_queue_policy_that_denies_sending_loses_failed_stream_records(self):
        template = expanded()
        template["Resources"]["StreamFailuresPolicy"] = {"Type": "AWS::SQS::QueuePolicy", "Properties": {
            "Queues": [{"Ref": "StreamFailures"}],
            "PolicyDocument": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:*",
                                              "Resource": "*"}]}}}
        self.assertIn("AggregateFunctionConfirmations: StreamFailuresPolicy denies sqs:SendMessage",
                      self.problems(template))

    def test_an_alarm_topic_without_subscriber_reaches_nobody(self):
        template = expanded()
        del template["Resources"]["Alarms"]["Properties"]["Subscription"]
        self.assertIn("Alarms has no subscriber", self.problems(template))


class CustomMetricTest(unittest.TestCase):
    def test_every_alarm_on_our_metrics_watches_one_the_code_counts(self):
        self.assertEqual(custom_metric_problems(expanded(), rust_sources()), [])

    def test_an_alarm_on_a_renamed_metric_could_never_fire(self):
        template = expanded()
        template["Resources"]["MailWithheldAlarm"]["Properties"]["MetricName"] = "EmailWithheld"
        self.assertEqual(custom_metric_problems(template, rust_sources()),
                         ["MailWithheldAlarm: watches PeopleFirst/EmailWithheld, which no code counts"])

    def test_an_alarm_on_metric_math_watches_each_of_its_metrics(self):
        template = expanded()
        queries = template["Resources"]["UpdateComplaintRateAlarm"]["Properties"]["Metrics"]
        queries[1]["MetricStat"]["Metric"]["MetricName"] = "UpdatesSent"
        self.assertEqual(custom_metric_problems(template, rust_sources()),
                         ["UpdateComplaintRateAlarm: watches PeopleFirst/UpdatesSent, which no code counts"])

    def test_a_metric_counted_through_a_constant_is_counted(self):
        sources = {"edge.rs": 'pub const DIRECT: &str = "CallsSkippingTheCdn";\n fn f() { count(DIRECT); }'}
        self.assertEqual(counted_metrics(sources), {"CallsSkippingTheCdn"})
        self.assertNotIn("CallsSkippingTheCdn", counted_metrics({"edge.rs": 'fn f() { count(DIRECT); }'}))


class PortTraitsTest(unittest.TestCase):
    def test_a_port_split_from_another_is_followed_to_its_calls(self):
        # `find` is the mailer's port's, which SignatureStore builds on: missed, confirm and
        # erase would seem granted a GetItem they never call.
        traits = port_traits()
        self.assertIn("SignatureMailing", traits)
        self.assertIn("SignatureStore", traits)
        self.assertIn("SupporterStore", traits)

    def test_a_port_an_adapter_wraps_is_followed_to_its_calls(self):
        # Signing asks the partners' list, which reads the supporters' store: missed, the sign
        # function would be denied the query that credits a partner, and credit none.
        self.assertIn("dynamodb:Query", function_actions("sign"))
        self.assertNotIn("dynamodb:Query", function_actions("confirm"))

    def test_a_helper_called_on_the_next_line_is_followed_to_its_calls(self):
        # rustfmt puts `self` and `.delete_signature(..)` on two lines: missed, the SES feedback
        # function would seem granted a DeleteItem it needs, and lose it.
        self.assertIn("dynamodb:DeleteItem", function_actions("mail-events"))
        helpers = {"helper": ["self.client\n.delete_item()"]}
        self.assertEqual(operations("self\n    .helper(signer)", helpers), {"delete_item"})


STACK_POLICY = json.loads((HERE / "stack-policy.json").read_text())


class DataTest(unittest.TestCase):
    def problems(self, template, stack_policy=STACK_POLICY):
        return "\n".join(problems_of(template, stack_policy))

    def test_the_stack_as_written_keeps_its_data(self):
        self.assertEqual(self.problems(expanded()), "")

    def test_a_key_deleted_with_the_stack_makes_the_kept_table_unreadable(self):
        template = expanded()
        del template["Resources"]["DataKey"]["DeletionPolicy"]
        self.assertIn("DataKey: Signatures is encrypted with it", self.problems(template))

    def test_a_replaced_secret_orphans_every_signature(self):
        template = expanded()
        del template["Resources"]["SecretKey"]["UpdateReplacePolicy"]
        self.assertIn("SecretKey: deleting or replacing the stack deletes it", self.problems(template))

    def test_a_stack_policy_that_lets_the_master_secret_be_replaced(self):
        policy = json.loads(json.dumps(STACK_POLICY))
        policy["Statement"][1]["Resource"].remove("LogicalResourceId/SecretKey")
        self.assertIn("SecretKey: infra/stack-policy.json does not refuse", self.problems(expanded(), policy))

    def test_a_secret_kept_on_a_failed_first_deploy_is_left_behind(self):
        template = expanded()
        template["Resources"]["SecretKey"]["DeletionPolicy"] = "Retain"
        self.assertIn("SecretKey: a failed first deploy leaves it behind", self.problems(template))

    def test_the_protected_table_and_its_key_alone_are_kept_through_a_rollback(self):
        template = expanded()
        del template["Resources"]["Signatures"]["Properties"]["DeletionProtectionEnabled"]
        problems = self.problems(template)
        self.assertIn("Signatures: a failed first deploy leaves it behind", problems)
        self.assertIn("DataKey: a failed first deploy leaves it behind", problems)

    def test_emails_waiting_are_deleted_with_the_stack(self):
        template = expanded()
        del template["Resources"]["MailQueue"]["DeletionPolicy"]
        self.assertIn("MailQueue: deleting or replacing the stack deletes it", self.problems(template))

    def test_emails_that_failed_are_deleted_with_the_stack(self):
        template = expanded()
        del template["Resources"]["MailQueueFailures"]["UpdateReplacePolicy"]
        self.assertIn("MailQueueFailures: deleting or replacing the stack deletes it", self.problems(template))

    def test_a_table_without_deletion_protection_is_one_click_from_gone(self):
        template = expanded()
        del template["Resources"]["Signatures"]["Properties"]["DeletionProtectionEnabled"]
        self.assertIn("Signatures: no deletion protection", self.problems(template))


def reattach_template():
    return json.loads(json.dumps(load("reattach.yaml")))


class ReattachTest(unittest.TestCase):
    def test_what_the_stack_keeps_is_what_reattach_gives_back(self):
        self.assertEqual(reattach_problems(expanded(), reattach_template()), [])

    def test_a_kept_resource_reattach_forgets_would_be_made_anew(self):
        template = reattach_template()
        del template["Resources"]["MailQueueFailures"]
        self.assertIn("MailQueueFailures: the stack keeps it, and infra/reattach.yaml does not re-attach it",
                      reattach_problems(expanded(), template))

    def test_a_table_reattach_declares_otherwise_would_be_changed_by_the_next_deploy(self):
        template = reattach_template()
        template["Resources"]["Signatures"]["Properties"]["PointInTimeRecoverySpecification"]["RecoveryPeriodInDays"] = 7
        self.assertIn("Signatures: infra/reattach.yaml does not declare it as template.yaml does",
                      reattach_problems(expanded(), template))

    def imported(self):
        """infra/reattach run with a stand-in `aws` that answers as an account where the stack
        people-first-staging was deleted, and prints the resources it was asked to import."""
        import os
        import subprocess
        import tempfile

        answers = {
            "cloudformation describe-stacks": "exit 255",
            "dynamodb list-tables": "echo people-first-staging-Signatures-1A2B3C",
            "dynamodb describe-table": "echo arn:aws:kms:eu-west-1:111122223333:key/k-1",
            "kms describe-key": "echo k-1",
            "secretsmanager list-secrets": "echo arn:aws:secretsmanager:eu-west-1:111122223333:secret:SecretKey-x",
            "sqs list-queues": 'echo "https://sqs.eu-west-1.amazonaws.com/111122223333/$(echo "$@" | '
                               'sed "s/.*--queue-name-prefix \\([^ ]*\\) .*/\\1/")x"',
            "cloudformation create-change-set": 'while [ "$1" != --resources-to-import ]; do shift; done; '
                                                'cat "${2#file://}" >&3',
        }
        script = "\n".join(f'[ "$1 $2" = "{call}" ] && {{ {answer}; exit; }}' for call, answer in answers.items())
        with tempfile.TemporaryDirectory() as bin_dir:
            aws = pathlib.Path(bin_dir) / "aws"
            aws.write_text(f"#!/usr/bin/env bash\n{script}\nexit 0\n")
            aws.chmod(0o755)
            imported = pathlib.Path(bin_dir) / "imported.json"
            with imported.open("w") as out:
                subprocess.run(["bash", "-c", f"{HERE / 'reattach'} people-first-staging 3>&{out.fileno()}"],
                               check=True, capture_output=True, text=True, pass_fds=(out.fileno(),),
                               env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"})
            return json.loads(imported.read_text())

    def test_reattach_imports_each_kept_resource_by_its_primary_identifier(self):
        declared = reattach_template()["Resources"]
        imported = self.imported()
        self.assertEqual(sorted(r["LogicalResourceId"] for r in imported), sorted(declared))
        for resource in imported:
            self.assertEqual(resource["ResourceType"], declared[resource["LogicalResourceId"]]["Type"])
            identifier = registry_schema(resource["ResourceType"])["primaryIdentifier"]
            self.assertEqual(sorted(resource["ResourceIdentifier"]),
                             sorted(p.removeprefix("/properties/") for p in identifier))
        queues = {r["LogicalResourceId"]: r["ResourceIdentifier"]["QueueUrl"] for r in imported
                  if r["ResourceType"] == "AWS::SQS::Queue"}
        self.assertTrue(queues["MailQueue"].endswith("/people-first-staging-MailQueue-x"), queues)
        self.assertTrue(queues["MailQueueFailures"].endswith("/people-first-staging-MailQueueFailures-x"), queues)


class RolesTest(unittest.TestCase):
    def templates(self):
        return {name: json.loads((EXPANDED.parent / name).read_text())
                for name in ("template.json", "deploy-role.json", "edge.json")}

    def problems(self, change):
        templates = self.templates()
        change(templates["template.json"], templates["deploy-role.json"])
        return "\n".join(roles_problems(templates))

    @staticmethod
    def stack_statement(deploy_role, sid):
        statements = deploy_role["Resources"]["StackRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        return next(s for s in statements if s.get("Sid") == sid)

    @staticmethod
    def boundary(deploy_role):
        return deploy_role["Resources"]["FunctionsBoundary"]["Properties"]["PolicyDocument"]["Statement"]

    def test_no_role_as_written_can_climb(self):
        self.assertEqual(self.problems(lambda stack, deploy_role: None), "")

    def test_a_stack_role_that_reaches_every_table_is_named(self):
        def change(stack, deploy_role):
            self.stack_statement(deploy_role, "TheStagesData")["Resource"] = "*"
        self.assertIn("StackRole (people-first-stack) allows", self.problems(change))
        self.assertIn("actions of dynamodb, s3 on every resource", self.problems(change))

    def test_a_key_pattern_that_names_no_key_counts_as_every_key(self):
        def change(stack, deploy_role):
            del self.stack_statement(deploy_role, "TheStagesKeysAndSecrets")["Condition"]
        self.assertIn("actions of kms, secretsmanager on every resource", self.problems(change))

    def test_a_stack_role_that_may_edit_any_function_can_climb(self):
        def change(stack, deploy_role):
            self.stack_statement(deploy_role, "TheStagesData")["Resource"] = "*"
        self.assertIn("privilege escalation: EditExistingLambdaFunctionWithRole", self.problems(change))

    def test_roles_made_without_the_boundary_are_named(self):
        def change(stack, deploy_role):
            del self.stack_statement(deploy_role, "OnlyBoundedRoles")["Condition"]
        self.assertIn("StackRole may iam:createrole without the permissions boundary FunctionsBoundary",
                      self.problems(change))

    def test_a_boundary_that_lets_a_role_change_roles_is_named(self):
        def change(stack, deploy_role):
            self.boundary(deploy_role).append({
                "Effect": "Allow", "Action": ["iam:PutRolePolicy", "sts:AssumeRole"],
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/people-first-staging-x"}})
        problems = self.problems(change)
        self.assertIn("FunctionsBoundary allows a privilege escalation on the resources it names: PutRolePolicy",
                      problems)
        self.assertIn("FunctionsBoundary allows an IAM action (iam:PutRolePolicy)", problems)

    def test_a_boundary_that_sends_from_any_address_is_named(self):
        def change(stack, deploy_role):
            mail = next(s for s in self.boundary(deploy_role) if s.get("Sid") == "ItsMail")
            del mail["Condition"]
        self.assertIn("FunctionsBoundary lets a role send mail from any address", self.problems(change))

    def test_a_stack_role_that_passes_roles_to_any_service_is_named(self):
        def change(stack, deploy_role):
            del self.stack_statement(deploy_role, "TheFunctionsTheirRoles")["Condition"]
        self.assertIn("StackRole may pass the stage's roles to any service", self.problems(change))

    def test_a_function_role_without_the_boundary_is_named(self):
        def change(stack, deploy_role):
            del stack["Resources"]["SignFunctionRole"]["Properties"]["PermissionsBoundary"]
        self.assertIn("SignFunctionRole is created without the permissions boundary", self.problems(change))

    def test_a_function_asking_for_what_the_boundary_refuses_is_named(self):
        def change(stack, deploy_role):
            stack["Resources"]["CountFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].append(
                {"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*"})
        self.assertIn("CountFunctionRole asks for cloudwatch:PutMetricData, which FunctionsBoundary does not allow",
                      self.problems(change))

    def test_a_stack_role_that_may_claim_another_stages_master_secret_is_named(self):
        def change(stack, deploy_role):
            statements = deploy_role["Resources"]["StackRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
            statements[:] = [s for s in statements if s.get("Sid") != "NoOtherStagesMasterKeyTag"]
        self.assertIn("StackRole may tag a key or secret people-first-master-key with another stage's name",
                      self.problems(change))

    def test_a_deploy_role_that_may_import_is_named(self):
        def change(stack, deploy_role):
            for policy in deploy_role["Resources"]["DeployRole"]["Properties"]["Policies"]:
                if "PolicyDocument" in policy:
                    statements = policy["PolicyDocument"]["Statement"]
                    statements[:] = [s for s in statements if s.get("Sid") != "NoImports"]
        self.assertIn("the deploy role may import any table", self.problems(change))


class CapacityTest(unittest.TestCase):
    @staticmethod
    def inputs():
        return expanded(), json.loads((EXPANDED.parent / "edge.json").read_text()), \
            json.loads((HERE.parent / "BENCHMARKS.json").read_text())

    def test_the_plan_as_written_is_what_the_templates_and_the_bench_give(self):
        text, problems = rendered(EXPANDED.parent)
        self.assertEqual(problems, [])
        self.assertEqual((HERE / "CAPACITY.md").read_text(), text)

    def test_a_page_that_fetches_more_files_moves_the_cdn_figures(self):
        template, edge, measured = self.inputs()
        measured["home_page"]["files_fetched"] += 5
        self.assertEqual(figures(template, edge, measured)["visit_requests"],
                         figures(*self.inputs())["visit_requests"] + 5)

    def test_a_new_alarm_the_cost_model_does_not_count_is_named(self):
        template, edge, measured = self.inputs()
        template["Resources"]["ExtraAlarm"] = template["Resources"]["MailQueueAgeAlarm"]
        prices = json.loads((HERE.parent / "tests" / "prices.json").read_text())
        counted = prices["lines"][-1]["counts"]["alarm_metrics"]
        self.assertIn(f"tests/prices.json counts {counted} alarm metrics; the stack has {counted + 1}",
                      price_problems(figures(template, edge, measured), prices))


class EdgeTest(unittest.TestCase):
    def problems(self, change):
        template, edge = load("template.yaml"), load("edge.yaml")
        change(template, edge)
        return "\n".join(edge_problems(template, edge))

    @staticmethod
    def distribution(template):
        return template["Resources"]["Site"]["Properties"]["DistributionConfig"]

    def test_the_stack_as_written_is_reached_through_the_cdn_only(self):
        self.assertEqual(self.problems(lambda template, edge: None), "")

    def test_an_alarm_on_a_region_dimension_never_fires_and_is_named(self):
        def change(template, edge):
            edge["Resources"]["BlockedRequestsAlarm"]["Properties"]["Dimensions"].append(
                {"Name": "Region", "Value": "us-east-1"})
        self.assertIn("BlockedRequestsAlarm watches dimensions", self.problems(change))

    def test_an_alarm_on_another_web_acl_name_is_named(self):
        def change(template, edge):
            edge["Resources"]["WebAcl"]["Properties"]["VisibilityConfig"]["MetricName"] = "firewall"
        self.assertIn("BlockedRequestsAlarm watches the web ACL", self.problems(change))

    def test_a_firewall_without_an_alarm_on_its_blocks_is_named(self):
        def change(template, edge):
            del edge["Resources"]["BlockedRequestsAlarm"]
        self.assertIn("no alarm watches the requests the firewall blocks", self.problems(change))

    def test_a_cdn_function_missing_a_language_is_named(self):
        def change(template, edge):
            pages = template["Resources"]["SitePages"]["Properties"]
            pages["FunctionCode"] = pages["FunctionCode"].replace("'ru', ", "")
        self.assertIn("SitePages knows the languages", self.problems(change))

    def test_a_function_not_told_the_origin_secret_answers_anyone(self):
        def change(template, edge):
            del template["Resources"]["CountFunction"]["Properties"]["Environment"]["Variables"][
                "PEOPLE_FIRST_ORIGIN_SECRET_ARN"]
        self.assertIn("CountFunction: answers the API without the secret", self.problems(change))

    def test_distribution_wide_error_pages_swallow_the_apis_answers(self):
        def change(template, edge):
            self.distribution(template)["CustomErrorResponses"] = [{"ErrorCode": 404}]
        self.assertIn("error pages would replace the API's own answers", self.problems(change))

    def test_a_count_cache_key_without_its_language_function_can_be_bypassed(self):
        def change(template, edge):
            for behaviour in self.distribution(template)["CacheBehaviors"]:
                behaviour.pop("FunctionAssociations", None)
        self.assertIn("/api/count*: no viewer function keeps lang", self.problems(change))

    def test_a_count_cache_key_with_any_source_can_be_bypassed(self):
        def change(template, edge):
            code = template["Resources"]["CountLanguage"]["Properties"]["FunctionCode"]
            template["Resources"]["CountLanguage"]["Properties"]["FunctionCode"] = code.replace(
                "if (CODE.test(code)) ", "")
        self.assertIn("/api/count*: no viewer function keeps source to a code's shape", self.problems(change))

    def test_a_frame_cache_key_with_any_partner_can_be_bypassed(self):
        def change(template, edge):
            code = template["Resources"]["FrameQuery"]["Properties"]["FunctionCode"]
            template["Resources"]["FrameQuery"]["Properties"]["FunctionCode"] = code.replace(
                "if (CODE.test(code)) ", "")
        self.assertIn("/api/frame: no viewer function keeps partner to a code's shape", self.problems(change))

    def test_a_framed_form_outside_the_signing_rate_signs_ten_times_as_fast(self):
        def change(template, edge):
            acl = next(r for r in edge["Resources"].values() if r["Type"] == "AWS::WAFv2::WebACL")
            rule = next(r for r in acl["Properties"]["Rules"]
                        if r["VisibilityConfig"]["MetricName"] == "signing-rate-per-address")
            statements = rule["Statement"]["RateBasedStatement"]["ScopeDownStatement"]["OrStatement"]["Statements"]
            statements.pop()
        self.assertIn("the signing rate rule does not cover /api/frame", self.problems(change))

    def test_a_cache_policy_comment_cloudfront_refuses(self):
        def change(template, edge):
            template["Resources"]["FrameCache"]["Properties"]["CachePolicyConfig"]["Comment"] = "x" * 129
        self.assertIn("FrameCache: a comment of 129 characters, over CloudFront's 128", self.problems(change))

    def test_uncached_preflights_reach_the_count_function(self):
        def change(template, edge):
            for behaviour in self.distribution(template)["CacheBehaviors"]:
                behaviour.pop("CachedMethods", None)
        self.assertIn("/api/count*: OPTIONS reach the function uncached", self.problems(change))

    def test_a_viewer_function_that_keeps_every_query_string(self):
        def change(template, edge):
            code = template["Resources"]["CountLanguage"]["Properties"]["FunctionCode"]
            template["Resources"]["CountLanguage"]["Properties"]["FunctionCode"] = code.replace(
                "request.querystring = {", "request.querystring.kept = {")
        self.assertIn("/api/count*: no viewer function keeps lang", self.problems(change))

    def test_a_firewall_that_samples_requests_keeps_ip_addresses(self):
        def change(template, edge):
            acl = next(r for r in edge["Resources"].values() if r["Type"] == "AWS::WAFv2::WebACL")
            acl["Properties"]["Rules"][0]["VisibilityConfig"]["SampledRequestsEnabled"] = True
        self.assertIn("keeps sampled requests (IP addresses and URLs) the privacy policy says are not kept",
                      self.problems(change))

    def test_an_api_that_is_not_told_where_a_form_came_from(self):
        def change(template, edge):
            policy = template["Resources"]["ApiRequests"]["Properties"]["OriginRequestPolicyConfig"]
            policy["HeadersConfig"]["Headers"].remove("sec-fetch-site")
        self.assertIn("/api/*: the CDN does not pass sec-fetch-site to sign", self.problems(change))

    def test_a_firewall_without_an_api_rate_rule(self):
        def change(template, edge):
            rules = edge["Resources"]["WebAcl"]["Properties"]["Rules"]
            rules[:] = [rule for rule in rules if rule["Name"] != "api-rate-per-address"]
        self.assertIn("no firewall rate rule covers /api/", self.problems(change))


class ReadmeTest(unittest.TestCase):
    def test_the_readme_names_only_what_the_templates_have(self):
        readme = (HERE / "README.md").read_text()
        self.assertEqual(readme_problems(readme, known_names(), api_functions()), [])

    def test_a_new_function_behind_the_api_is_a_prompt_the_readme_must_name(self):
        readme = (HERE / "README.md").read_text()
        problems = readme_problems(readme, known_names(), api_functions() | {"ReportFunction"})
        self.assertEqual(len(problems), 1)
        self.assertIn("it asks about ['ConfirmFunction', 'CountFunction', 'EraseFunction', "
                      "'OrganisationsFunction', 'ReportFunction', 'SignFunction']", problems[0])

    def test_a_renamed_output_is_caught_in_prose_and_in_commands(self):
        problems = readme_problems("Note the output `WebAclId`, then pass DomainNam=x.", known_names())
        self.assertEqual(problems, ["infra/README.md names DomainNam, which no template has",
                                    "infra/README.md names WebAclId, which no template has"])


class StackRoleTest(unittest.TestCase):
    def deploy_role(self):
        return json.loads((EXPANDED.parent / "deploy-role.json").read_text())

    def statements(self, deploy_role):
        return deploy_role["Resources"]["StackRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]

    def test_the_stack_role_may_do_what_cloudformation_calls(self):
        self.assertEqual(stack_role_problems(expanded(), self.deploy_role()), [])

    def test_a_role_without_events_cannot_create_the_schedule(self):
        deploy_role = self.deploy_role()
        statements = self.statements(deploy_role)
        statements[:] = [s for s in statements if s.get("Sid") != "TheStagesSchedule"]
        problems = stack_role_problems(expanded(), deploy_role)
        self.assertIn("production: the stack role cannot events:PutRule, which CloudFormation calls for "
                      "AWS::Events::Rule (no statement allows it)", problems)

    def test_an_action_that_names_no_resource_must_be_allowed_on_every_resource(self):
        deploy_role = self.deploy_role()
        statement = next(s for s in self.statements(deploy_role) if s.get("Sid") == "WhatNoResourceNarrows")
        statement["Action"].remove("sns:GetSubscriptionAttributes")
        self.statements(deploy_role).append({
            "Effect": "Allow", "Action": "sns:GetSubscriptionAttributes",
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:people-first-staging-*"}})
        self.assertIn("staging: the stack role cannot sns:GetSubscriptionAttributes, which CloudFormation calls for "
                      "AWS::SNS::Subscription (it names no resource, and no statement allows it on *)",
                      stack_role_problems(expanded(), deploy_role))

    def test_a_denied_handler_permission_is_named(self):
        deploy_role = self.deploy_role()
        statement = next(s for s in self.statements(deploy_role) if s.get("Sid") == "NoLogsElsewhere")
        statement["Action"].append("logs:PutRetentionPolicy")
        self.assertIn("production: the stack role cannot logs:PutRetentionPolicy, which CloudFormation calls for "
                      "AWS::Logs::LogGroup (a statement denies it)", stack_role_problems(expanded(), deploy_role))

    def test_a_stack_role_that_may_strip_a_boundary_is_named(self):
        deploy_role = self.deploy_role()
        self.statements(deploy_role)[0]["Action"].append("iam:DeleteRolePermissionsBoundary")
        self.assertIn("staging: the stack role may iam:DeleteRolePermissionsBoundary: a role stripped of its "
                      "permissions boundary could do anything its policies say",
                      stack_role_problems(expanded(), deploy_role))

    def test_packages_that_expire_in_a_month_cannot_roll_back_a_quiet_stack(self):
        deploy_role = self.deploy_role()
        deploy_role["Resources"]["Packages"]["Properties"]["LifecycleConfiguration"]["Rules"][0][
            "ExpirationInDays"] = 30
        self.assertIn("the packages expire after 30 days: a failed update after a quieter spell cannot roll "
                      "the functions back", stack_role_problems(expanded(), deploy_role))

    def test_a_deploy_role_that_cannot_continue_a_stopped_rollback(self):
        deploy_role = self.deploy_role()
        statement = deploy_role["Resources"]["DeployRole"]["Properties"]["Policies"][0]["PolicyDocument"][
            "Statement"][0]
        statement["Action"].remove("cloudformation:ContinueUpdateRollback")
        self.assertIn("the deploy role cannot cloudformation:ContinueUpdateRollback, which the deploy calls",
                      stack_role_problems(expanded(), deploy_role))

    def test_a_function_in_a_vpc_needs_what_its_handler_calls(self):
        template = expanded()
        template["Resources"]["SignFunction"]["Properties"]["VpcConfig"] = {"SubnetIds": [], "SecurityGroupIds": []}
        problems = stack_role_problems(template, self.deploy_role())
        self.assertIn("staging: the stack role cannot ec2:DescribeSubnets, which CloudFormation calls for "
                      "AWS::Lambda::Function (no statement allows it)", problems)


class AccountTest(unittest.TestCase):
    def edge(self):
        return json.loads((EXPANDED.parent / "edge.json").read_text())

    def test_the_stack_deploys_on_a_new_account(self):
        self.assertEqual(account_problems(expanded(), self.edge()), [])

    def test_warm_throughput_for_one_write_a_signature_throttles_the_launch(self):
        template = expanded()
        template["Parameters"]["LaunchWarmWritesPerSecond"]["Default"] = 12000
        benchmarks = json.loads((HERE.parent / "BENCHMARKS.json").read_text())
        self.assertEqual(account_problems(template, self.edge(), benchmarks), [
            ("LaunchWarmWritesPerSecond is 12000: signing writes 2.00 units a signature (BENCHMARKS.json), "
            "20000 a second at 10000 signatures a second")])

    def test_a_web_acl_named_once_for_all_stages_collides_with_the_second(self):
        edge = self.edge()
        edge["Resources"]["WebAcl"]["Properties"]["Name"] = "people-first"
        self.assertEqual(account_problems(expanded(), edge), [
            ("edge.yaml: WebAcl is named 'people-first' whatever the stack: a second stage's stack collides "
            "with it (name it after ${AWS::StackName})")])

    def test_the_follow_up_mail_takes_one_share_and_runs_once_at_a_time(self):
        template = expanded()
        function = template["Resources"]["FollowUpFunction"]["Properties"]
        function["Environment"]["Variables"]["PEOPLE_FIRST_RATE_SHARES"] = 1
        function["Timeout"] = 90
        self.assertEqual(account_problems(template), [
            "FollowUpFunction: takes one of 1 shares of SES's rate, where the mailers divide it among [2]",
            "FollowUpFunction: a run may last 90 s, past the next minute's: two would share one share of the rate",
        ])

    def test_reserved_concurrency_rolls_a_first_deploy_back(self):
        template = expanded()
        template["Resources"]["PublishFunction"]["Properties"]["ReservedConcurrentExecutions"] = 1
        self.assertEqual(account_problems(template), [
            ("PublishFunction reserves 1 concurrent executions: a new account, whose limit may be 10, keeps "
            "100 unreserved and has none to reserve, so the first deploy rolls back")])

    def test_a_mailer_allowed_only_the_domain_sends_nothing_in_the_sandbox(self):
        template = expanded()
        statement = template["Resources"]["MailerFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"][
            "Statement"][0]
        statement["Resource"][0] = {
            "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${DomainName}"}
        self.assertEqual(account_problems(template), [
            ("MailerFunctionRole: may send only as the domain's identity, so in SES's sandbox every email to "
            "a verified test address is refused")])

    def test_a_mailer_queue_without_a_ceiling_runs_more_instances_than_the_pace_divides_by(self):
        template = expanded()
        del template["Resources"]["MailerFunctionQueued"]["Properties"]["ScalingConfig"]
        self.assertEqual(account_problems(template), [
            ("MailerFunction: MailerFunctionQueued may run any number of instances where the pace is "
            "divided among 2")])


class WorkflowTest(unittest.TestCase):
    """The deploy workflow's step that runs sam deploy, run with a stand-in `sam` that prints
    the parameters it was given."""

    def overrides(self, env):
        import os
        import subprocess
        import tempfile

        import yaml

        workflow = yaml.safe_load((HERE.parent / ".github" / "workflows" / "deploy.yml").read_text())
        step = next(s for s in workflow["jobs"]["deploy"]["steps"] if s.get("name") == "Deploy the stack")
        with tempfile.TemporaryDirectory() as bin_dir:
            sam = pathlib.Path(bin_dir) / "sam"
            sam.write_text('#!/usr/bin/env bash\nwhile [ "$1" != --parameter-overrides ]; do shift; done\n'
                           'shift; printf "%s\\n" "$@"\n')
            sam.chmod(0o755)
            given = {name: "" for name in step["env"]}
            given["PERMISSIONS_BOUNDARY_ARN"] = "arn:aws:iam::111122223333:policy/people-first-staging-boundary"
            given.update(env)
            ran = subprocess.run(["bash", "-e", "-c", step["run"]], capture_output=True, text=True, check=False,
                                 env={**os.environ, **given, "STAGE": "staging",
                                      "PATH": f"{bin_dir}:{os.environ['PATH']}"})
        if ran.returncode != 0:
            raise AssertionError(ran.stderr)
        return dict(line.split("=", 1) for line in ran.stdout.splitlines())

    def test_a_deploy_without_the_boundary_stops_before_calling_sam(self):
        with self.assertRaisesRegex(AssertionError, "AWS_PERMISSIONS_BOUNDARY_ARN"):
            self.overrides({"PERMISSIONS_BOUNDARY_ARN": ""})

    def test_the_functions_roles_are_deployed_under_the_boundary(self):
        overrides = self.overrides({})
        self.assertEqual(overrides["PermissionsBoundaryArn"],
                         "arn:aws:iam::111122223333:policy/people-first-staging-boundary")

    def test_a_deploy_keeps_the_settings_staff_changed_when_the_environment_sets_none(self):
        overrides = self.overrides({"DOMAIN_NAME": "people-first.example"})
        self.assertEqual(overrides["DomainName"], "people-first.example")
        for kept in ("SesSendingRatePerSecond", "Challenge", "ChallengeSiteKey", "ChallengeSecret"):
            self.assertNotIn(kept, overrides)

    def test_the_build_is_kept_between_deploys_and_renewed_with_the_lock_file(self):
        import yaml

        workflow = yaml.safe_load((HERE.parent / ".github" / "workflows" / "deploy.yml").read_text())
        steps = workflow["jobs"]["deploy"]["steps"]
        cache = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@"))
        build = next(i for i, s in enumerate(steps) if "infra/sam-build" in s.get("run", ""))
        self.assertLess(cache, build)
        self.assertIn("target", steps[cache]["with"]["path"].split())
        self.assertIn("hashFiles('Cargo.lock')", steps[cache]["with"]["key"])

    def test_only_main_or_a_release_tag_deploys(self):
        import yaml

        workflow = yaml.safe_load((HERE.parent / ".github" / "workflows" / "deploy.yml").read_text())
        condition = workflow["jobs"]["deploy"].get("if", "")
        self.assertIn("github.ref == 'refs/heads/main'", condition)
        self.assertIn("startsWith(github.ref, 'refs/tags/v')", condition)

    def test_a_setting_the_environment_gives_is_deployed(self):
        overrides = self.overrides({"SES_SENDING_RATE": "200", "CHALLENGE": "turnstile"})
        self.assertEqual((overrides["SesSendingRatePerSecond"], overrides["Challenge"]), ("200", "turnstile"))


if __name__ == "__main__":
    unittest.main()
