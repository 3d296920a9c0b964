-- wrk script for care.sh: each request books the next open slot of the coming
-- year, as the next seeded patient in turn. SLOTS names a file of slot starts
-- (one RFC 3339 instant a line) and SLOTS.sessions one "cookie|csrf" line per
-- patient; THREADS is wrk's -t, so the threads take disjoint slots.
local slots_file = os.getenv("SLOTS")
local threads_total = tonumber(os.getenv("THREADS") or "2")
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  slots, sessions, sent = {}, {}, 0
  for line in io.lines(slots_file) do
    if #line > 0 then slots[#slots + 1] = line end
  end
  for line in io.lines(slots_file .. ".sessions") do
    local cookie, csrf = line:match("^([^|]+)|(.+)$")
    if cookie then sessions[#sessions + 1] = { cookie, csrf } end
  end
end

function request()
  local i = sent * threads_total + id
  sent = sent + 1
  local slot = slots[(i - 1) % #slots + 1]
  local session = sessions[(i - 1) % #sessions + 1]
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Cookie"] = session[1],
    ["X-CSRF-Token"] = session[2],
  }, '{"starts_at": "' .. slot .. '"}')
end
