"""The DynamoDB/SES emulator for the tests: moto's server, one request at a time.

DynamoDB applies each request to an item atomically; moto's threaded server does not, so two
concurrent conditional updates could both pass their condition. Handling one request at a time
restores the service's guarantee, which the concurrency tests rely on.

The tests read sent mail from /moto-api/data.json, which lists every model instance moto ever
made: every version of every DynamoDB item and stream record included. Those are forgotten after
each request (the tables keep their data), so reading the mail stays quick however much the
tests write.

usage: python emulator.py PORT
"""

import sys
import threading

from moto.core.model_instances import model_data
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

one_at_a_time = threading.Lock()
moto = DomainDispatcherApplication(create_backend_app)


def forget_table_history():
    for service in ("dynamodb", "dynamodbstreams"):
        for model in model_data.get(service, {}).values():
            model.instances_tracked.clear()


def serialised(environ, start_response):
    with one_at_a_time:
        answer = list(moto(environ, start_response))
        forget_table_history()
        return answer


if __name__ == "__main__":
    run_simple("127.0.0.1", int(sys.argv[1]), serialised, threaded=True)
