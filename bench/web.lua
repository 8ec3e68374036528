-- wrk script for bench/web.py. Arguments after "--": MODE COOKIE CSRF TARGET LABEL THINK_MS
--   MODE "get": TARGET is a file of paths, one per line; each request picks one at random.
--   MODE "add": POST /add/ with a new address under TARGET (a local site) every time.
--   THINK_MS: mean pause of each connection between an answer and its next request
--   (0: none, the closed loop that measures saturation; wrk's latency excludes it).
-- A response counts as good only if it is what a person would get: 200 for a page, and
-- for an add a 302 to the new snapshot's page (/s/ID/). The add view also answers 302
-- when it refuses (to "/", with a message), so the status alone proves nothing.
-- done() prints one line "WRKJSON {...}" (times in microseconds) for bench/web.py.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  mode, target, label, think_ms = args[1], args[4], args[5], tonumber(args[6] or "0")
  counter, good, bad, bad_status = 0, 0, 0, 0
  -- X-Bench-Run lets bench/web.py find this run's requests in gunicorn's access log.
  headers = { Cookie = args[2], ["X-Bench-Run"] = label }
  if mode == "get" then
    paths = {}
    for line in io.lines(target) do
      paths[#paths + 1] = line
    end
  else
    headers["X-CSRFToken"] = args[3]
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Referer"] = "http://" .. wrk.host .. ":" .. wrk.port .. "/"
  end
  math.randomseed(os.time() + thread_number * 7919)
end

function delay()
  if think_ms <= 0 then
    return 0
  end
  return math.random(math.floor(think_ms / 2), math.floor(think_ms * 3 / 2))
end

local function form_escape(text)
  return (string.gsub(text, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function request()
  if mode == "get" then
    return wrk.format("GET", paths[math.random(#paths)], headers)
  end
  -- Distinct per run, thread and request: a repeated address would return the existing
  -- link without a new snapshot, a cheaper path than a real add.
  counter = counter + 1
  local url = string.format("%s/%s-%d-%d.html", target, label, thread_number, counter)
  return wrk.format("POST", "/add/", headers, "url=" .. form_escape(url) .. "&tags=bench")
end

function response(status, response_headers, body)
  local ok
  if mode == "get" then
    ok = status == 200
  else
    ok = status == 302 and string.sub(response_headers["Location"] or "", 1, 3) == "/s/"
  end
  if ok then
    good = good + 1
  else
    bad, bad_status = bad + 1, status
  end
end

function done(summary, latency, requests)
  local total_good, total_bad, last_bad_status = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_good = total_good + thread:get("good")
    total_bad = total_bad + thread:get("bad")
    if thread:get("bad_status") ~= 0 then
      last_bad_status = thread:get("bad_status")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"good":%d,"bad":%d,"bad_status":%d,' ..
    '"socket_errors":%d,"timeouts":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%d}\n',
    summary.requests, summary.duration, total_good, total_bad, last_bad_status,
    e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
