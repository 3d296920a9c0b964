-- wrk script: POST /api/auth/login with the benchmark user's credentials.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"bench.patient","password":"plum orbit ladder seven"}'
