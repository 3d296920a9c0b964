"""An OpenAI-compatible chat-completions server for the chat benchmark that
answers every request at once with the same short reply, so the benchmark
measures the healing server's own overhead around the model.

    python3 healing-server/bench/llm_server.py PORT_FILE

It binds 127.0.0.1 on a free port, writes the port to PORT_FILE and serves
POST /v1/chat/completions (plain JSON; `stream: true` is not used here).
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLY = json.dumps({
    "id": "chatcmpl-bench",
    "object": "chat.completion",
    "choices": [{
        "index": 0,
        "message": {"role": "assistant", "content": "That sounds like a lot. What helped a little before?"},
        "finish_reason": "stop",
    }],
}).encode()


class Model(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(REPLY)))
        self.end_headers()
        self.wfile.write(REPLY)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Model)
server.daemon_threads = True
with open(sys.argv[1], "w") as port_file:
    port_file.write(str(server.server_address[1]))
server.serve_forever()
