-- wrk script: POST a mood entry whose note is NOTE (set by the caller through the
-- NOTE environment variable); the session cookie and CSRF header come from wrk -H.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"mood": 4, "note": "' .. os.getenv("NOTE") .. '"}'
