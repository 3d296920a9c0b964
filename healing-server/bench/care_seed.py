#!/usr/bin/env python3
"""Fills a running demo clinic with a year's care traffic through the HTTP API,
for care.sh: every patient's conversation with their clinician, a community
channel, and the clinician's weekly availability; then prints, as shell
assignments, the sessions and ids the measurements use.

usage: care_seed.py BASE_URL STAFF_TOTP_SECRET PASSWORD PATIENTS MESSAGES SLOTS_FILE

Standard library only. The messages are everyday words (no risk, so no alert
and no crisis response). Written now through the API, so their times are
minutes apart, not spread over a year; the reads measured page by sequence
and time, so only the counts matter to them.
"""
import base64
import datetime
import hashlib
import hmac
import json
import struct
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

BASE, SECRET, PASSWORD = sys.argv[1], sys.argv[2], sys.argv[3]
PATIENTS, MESSAGES, SLOTS_FILE = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
LINES = [
    "Thanks for last week. I kept the sleep diary most nights.",
    "Good to hear. Bring it on Thursday and we can look at the pattern together.",
    "I tried the breathing exercise before work and it helped a bit.",
    "That is a good start. Which times of day were easier?",
    "Mornings mostly. Can we talk about the weekend plan next time?",
    "Yes, let us put it first on the list.",
]


class Session:
    """A signed-in person: their session cookie and CSRF token."""

    def __init__(self, username, staff=False):
        self.cookie = None
        self.csrf = None
        body = self.call("POST", "/api/auth/login", {"username": username, "password": PASSWORD})
        self.user_id = body["data"]["user"]["id"]
        if staff:
            self.call("POST", "/api/auth/verify-2fa", {"code": totp(SECRET)})

    def call(self, method, path, payload=None):
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(BASE + path, data=data, method=method)
        request.add_header("content-type", "application/json")
        if self.cookie:
            request.add_header("cookie", self.cookie)
        if self.csrf:
            request.add_header("x-csrf-token", self.csrf)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                for header in response.headers.get_all("set-cookie") or []:
                    if header.startswith("healing_session="):
                        self.cookie = header.split(";", 1)[0]
                text = response.read()
        except urllib.error.HTTPError as error:
            sys.exit(f"{method} {path}: {error.code} {error.read()[:300]!r}")
        body = json.loads(text) if text else {}
        token = body.get("data", {}).get("csrf_token") if isinstance(body.get("data"), dict) else None
        if token:
            self.csrf = token
        return body


def totp(secret):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def main():
    clinician = Session("demo.clinician1", staff=True)
    clinician_id = clinician.user_id
    admin = Session("demo.admin", staff=True)
    channel = admin.call("POST", "/api/community/channels",
                         {"name": "Everyday wins", "description": "Small things that went well this week."})
    channel_id = channel["data"]["id"]

    def patient_traffic(index):
        patient = Session(f"demo.patient{index:02d}")
        first = patient.call("POST", "/api/messages", {"to": clinician_id, "body": LINES[0]})
        thread_id = first["data"]["thread_id"]
        for n in range(1, MESSAGES):
            writer = clinician if n % 2 else patient
            writer.call("POST", f"/api/messages/threads/{thread_id}", {"body": LINES[n % len(LINES)]})
        patient.call("PUT", "/api/community/me", {"pseudonym": f"Member {index:03d}"})
        # The default posting limit is ten items per member in ten minutes.
        for n in range(10):
            patient.call("POST", f"/api/community/channels/{channel_id}/posts",
                         {"body": f"Went for a walk by the river today ({n + 1})."})
        return patient, thread_id

    with ThreadPoolExecutor(max_workers=6) as pool:
        patients = list(pool.map(patient_traffic, range(1, PATIENTS + 1)))

    # Seven days of 28 ten-minute slots (08:00 to 12:40): 196 weekly slots, the
    # most a week holds; every open slot of the coming year goes to SLOTS_FILE.
    weekly = [{"weekday": d, "start": f"{8 + m // 60:02d}:{m % 60:02d}", "length_minutes": 10}
              for d in range(1, 8) for m in range(0, 280, 10)]
    clinician.call("PUT", "/api/me/availability", {"weekly": weekly, "closures": []})
    patient, _ = patients[0]
    day = datetime.date.today() + datetime.timedelta(days=1)
    slots = []
    for _ in range(11):
        page = patient.call("GET", f"/api/clinicians/{clinician_id}/slots?from={day.isoformat()}&days=31")
        slots += [s["starts_at"] for s in page["data"]["slots"]]
        day += datetime.timedelta(days=31)
    with open(SLOTS_FILE, "w") as f:
        f.write("\n".join(slots) + "\n")

    sessions = [f"{p.cookie}|{p.csrf}" for p, _ in patients]
    with open(SLOTS_FILE + ".sessions", "w") as f:
        f.write("\n".join(sessions) + "\n")
    print(f"CLINICIAN_ID={clinician_id}")
    print(f"CLINICIAN_COOKIE='{clinician.cookie}'")
    print(f"PATIENT_COOKIE='{patients[0][0].cookie}'")
    print(f"THREAD_ID={patients[0][1]}")
    print(f"CHANNEL_ID={channel_id}")
    print(f"SLOT_COUNT={len(slots)}")


if __name__ == "__main__":
    main()
