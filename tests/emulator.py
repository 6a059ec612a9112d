"""The DynamoDB/SES emulator for the tests: moto's server, one request at a time.

DynamoDB applies each request to an item atomically; moto's threaded server does not, so two
concurrent conditional updates could both pass their condition. Handling one request at a time
restores the service's guarantee, which the concurrency tests rely on.

usage: python emulator.py PORT
"""

import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

one_at_a_time = threading.Lock()
moto = DomainDispatcherApplication(create_backend_app)


def serialised(environ, start_response):
    with one_at_a_time:
        return list(moto(environ, start_response))


if __name__ == "__main__":
    run_simple("127.0.0.1", int(sys.argv[1]), serialised, threaded=True)
