"""A webhook receiver for the alert benchmark: answers every POST 200 and prints
the time it arrived (Unix seconds, float) and its Idempotency-Key, one line each.

    python3 healing-server/bench/webhook_receiver.py PORT_FILE > received.log

It binds 127.0.0.1 on a free port and writes the port to PORT_FILE.
"""

import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        arrived = time.time()
        length = int(self.headers.get("content-length", "0"))
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()
        print(f"{arrived:.6f} {self.headers.get('idempotency-key', '')}", flush=True)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
with open(sys.argv[1], "w") as port_file:
    port_file.write(str(server.server_address[1]))
server.serve_forever()
