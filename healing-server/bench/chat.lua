-- wrk script: POST a message to the companion chat (plain JSON answer); the session
-- cookie and CSRF header come from wrk -H.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = '{"message": "I had a long day and I feel a bit low tonight"}'
