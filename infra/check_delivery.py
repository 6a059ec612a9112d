"""Checks that whatever the stack sends somewhere can be written there, and that alarms reach a
person. Every alarm action, SES event destination and stream failure destination names a target;
its publisher (CloudWatch, SES, or the function's role for an event source mapping) must be
allowed by each policy in the way: the target's key policy when it is encrypted with a key of the
stack (an AWS managed key lets no other service in), the topic's policy when it has one, and for a
role its own permissions on the target and on the target's key. Every topic that alarms publish to
has a subscriber. Reads the template as SAM expands it (validate.py writes it), where the roles
and event source mappings SAM generates are written out.

usage: python check_delivery.py EXPANDED_TEMPLATE_JSON
"""

import fnmatch
import json
import pathlib
import sys

from checks import named, verdict

# What publishing to an encrypted topic or queue asks of the key: a data key to encrypt the
# message with, and decrypting it again.
KEY_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")
WRITE_ACTION = {"AWS::SNS::Topic": "sns:Publish", "AWS::SQS::Queue": "sqs:SendMessage"}
KEY_PROPERTY = {"AWS::SNS::Topic": "KmsMasterKeyId", "AWS::SQS::Queue": "KmsMasterKeyId"}


def as_list(value):
    return value if isinstance(value, list) else [value]


def statements(document):
    return as_list(document.get("Statement", []))


def grants(statement, action):
    return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in as_list(statement.get("Action", [])))


def covers(statement, target):
    """The statement's resources include the target (by reference) or everything."""
    return any(resource == "*" or named(resource) == target for resource in as_list(statement.get("Resource", [])))


def service_allowed(document, service, action):
    for statement in statements(document):
        principal = statement.get("Principal", {})
        services = as_list(principal.get("Service", [])) if isinstance(principal, dict) else []
        if statement.get("Effect") == "Allow" and service in services and grants(statement, action):
            return True
    return False


def account_delegates(key_policy, action):
    """The key policy lets the account's IAM policies grant the action (the root principal)."""
    for statement in statements(key_policy):
        principal = statement.get("Principal", {})
        accounts = as_list(principal.get("AWS", [])) if isinstance(principal, dict) else []
        root = any(":root" in json.dumps(account) for account in accounts)
        if statement.get("Effect") == "Allow" and root and grants(statement, action):
            return True
    return False


def role_allows(resources, role, action, target):
    documents = [policy["PolicyDocument"] for policy in resources[role]["Properties"].get("Policies", [])]
    return any(
        statement.get("Effect") == "Allow" and grants(statement, action) and covers(statement, target)
        for document in documents
        for statement in statements(document)
    )


class Delivery:
    def __init__(self, template):
        self.resources = template["Resources"]
        self.problems = []

    def key_policy(self, source, target):
        """The key that encrypts the target, and its policy: None when the target is not
        encrypted, or is encrypted with an AWS managed key (a problem: no other service, and no
        role of ours through a policy we write, can be let in)."""
        resource = self.resources[target]
        key = resource["Properties"].get(KEY_PROPERTY.get(resource["Type"], ""), None)
        if key is None:
            return None
        if named(key) is None:
            self.problems.append(
                f"{source}: {target} is encrypted with {key}, an AWS managed key its publisher cannot use")
            return None
        return named(key), self.resources[named(key)]["Properties"]["KeyPolicy"]

    def check_service(self, source, service, target):
        """A service (CloudWatch, SES) publishing to a topic of the stack."""
        resource = self.resources.get(target)
        if resource is None or resource["Type"] != "AWS::SNS::Topic":
            self.problems.append(f"{source}: publishes to {target}, which is not a topic of the stack")
            return
        encrypted = self.key_policy(source, target)
        if encrypted is not None:
            _, policy = encrypted
            for action in KEY_ACTIONS:
                if not service_allowed(policy, service, action):
                    self.problems.append(f"{source}: the key of {target} does not let {service} {action}")
        for name, resource in self.resources.items():
            if resource["Type"] != "AWS::SNS::TopicPolicy":
                continue
            if target in [named(topic) for topic in resource["Properties"]["Topics"]] \
                    and not service_allowed(resource["Properties"]["PolicyDocument"], service, "sns:Publish"):
                self.problems.append(f"{source}: {name} does not let {service} publish to {target}")
        for name in self.denying_policies(target, "sns:Publish"):
            self.problems.append(f"{source}: {name} denies sns:Publish to {target}")

    def check_role(self, source, role, target):
        """A function's role writing to a topic or queue of the stack (an event source mapping's
        on-failure destination is written with the function's own role)."""
        resource = self.resources.get(target)
        if resource is None or resource["Type"] not in WRITE_ACTION:
            self.problems.append(f"{source}: sends to {target}, which is not a topic or queue of the stack")
            return
        if not role_allows(self.resources, role, WRITE_ACTION[resource["Type"]], target):
            self.problems.append(f"{source}: {role} may not {WRITE_ACTION[resource['Type']]} to {target}")
        for name in self.denying_policies(target, WRITE_ACTION[resource["Type"]]):
            self.problems.append(f"{source}: {name} denies {WRITE_ACTION[resource['Type']]} to {target}")
        encrypted = self.key_policy(source, target)
        if encrypted is not None:
            key, policy = encrypted
            for action in KEY_ACTIONS:
                if not role_allows(self.resources, role, action, key):
                    self.problems.append(f"{source}: {role} lacks {action} on {key}, the key of {target}")
                if not account_delegates(policy, action):
                    self.problems.append(f"{source}: the policy of {named(key)} lets no role {action}")

    def check_reader(self, source, role, queue):
        """A function reading an encrypted queue decrypts each message with the queue's key."""
        if self.resources.get(queue, {}).get("Type") != "AWS::SQS::Queue":
            return
        encrypted = self.key_policy(source, queue)
        if encrypted is not None:
            key, policy = encrypted
            if not role_allows(self.resources, role, "kms:Decrypt", key):
                self.problems.append(f"{source}: {role} lacks kms:Decrypt on {key}, the key of {queue}")
            if not account_delegates(policy, "kms:Decrypt"):
                self.problems.append(f"{source}: the policy of {key} lets no role kms:Decrypt")

    def denying_policies(self, target, action):
        """The queue or topic policies of the target that deny the action outright (a Deny with a
        condition, such as HTTPS only, leaves the publishers' own requests through)."""
        found = []
        for name, resource in self.resources.items():
            kind = {"AWS::SQS::QueuePolicy": "Queues", "AWS::SNS::TopicPolicy": "Topics"}.get(resource["Type"])
            if kind is None or target not in [named(t) for t in resource["Properties"][kind]]:
                continue
            for statement in statements(resource["Properties"]["PolicyDocument"]):
                if statement.get("Effect") == "Deny" and grants(statement, action) and not statement.get("Condition"):
                    found.append(name)
        return found

    def only_watched(self, role, queue):
        """The role's grants on the queue are all to read its attributes."""
        documents = [policy["PolicyDocument"] for policy in self.resources[role]["Properties"].get("Policies", [])]
        actions = {action for document in documents for statement in statements(document)
                   if statement.get("Effect") == "Allow" and covers(statement, queue)
                   for action in as_list(statement.get("Action", []))}
        return actions == {"sqs:GetQueueAttributes"}

    def check_subscribed(self, source, topic):
        inline = self.resources[topic]["Properties"].get("Subscription", [])
        separate = [r for r in self.resources.values()
                    if r["Type"] == "AWS::SNS::Subscription" and named(r["Properties"].get("TopicArn")) == topic]
        if not inline and not separate:
            self.problems.append(f"{source}: {topic} has no subscriber: its alarms reach nobody")

    def run(self):
        alarm_topics = set()
        for name, resource in self.resources.items():
            properties = resource.get("Properties", {})
            if resource["Type"] == "AWS::CloudWatch::Alarm":
                actions = [a for key in ("AlarmActions", "OKActions", "InsufficientDataActions")
                           for a in properties.get(key, [])]
                if not actions:
                    self.problems.append(f"{name}: an alarm with no action")
                for action in actions:
                    self.check_service(name, "cloudwatch.amazonaws.com", named(action))
                    if named(action) in self.resources:
                        alarm_topics.add((name, named(action)))
            elif resource["Type"] == "AWS::SES::ConfigurationSetEventDestination":
                sns = properties["EventDestination"].get("SnsDestination")
                if sns:
                    self.check_service(name, "ses.amazonaws.com", named(sns["TopicARN"]))
            elif resource["Type"] == "AWS::Lambda::EventSourceMapping":
                function = self.resources[named(properties["FunctionName"])]
                role = named(function["Properties"]["Role"])
                failure = properties.get("DestinationConfig", {}).get("OnFailure")
                if failure:
                    self.check_role(name, role, named(failure["Destination"]))
                self.check_reader(name, role, named(properties.get("EventSourceArn")))
            elif resource["Type"] == "AWS::Lambda::Function":
                # A queue the function is told of in its environment is one its code sends to,
                # unless its role may only ask how many messages wait there (the follow-up mail
                # yields to the confirmations'; check_functions holds the code's sends to their
                # grants); its dead-letter queue is one Lambda sends failed events to with its role.
                role = named(properties["Role"])
                variables = properties.get("Environment", {}).get("Variables", {})
                targets = [named(value) for value in variables.values()
                           if not self.only_watched(role, named(value))]
                targets.append(named(properties.get("DeadLetterConfig", {}).get("TargetArn")))
                for target in targets:
                    if self.resources.get(target, {}).get("Type") == "AWS::SQS::Queue":
                        self.check_role(name, role, target)
        for name, topic in sorted(alarm_topics):
            self.check_subscribed(name, topic)
        return sorted(set(self.problems))


def main():
    template = json.loads(pathlib.Path(sys.argv[1]).read_text())
    problems = Delivery(template).run()
    verdict(problems, "alarms, SES events, stream failures and the mail queue: every publisher may write where it sends, every reader decrypt what it reads")


if __name__ == "__main__":
    main()
