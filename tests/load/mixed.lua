-- wrk script for tests/load: rotate through the article, the blog index, calculator results (60 different
-- profiles, so some are rendered and some come from the page cache) and the JSON API; report one BENCH_JSON line.
local requests = {}
local next_index = 0

function init(args)
  local api = '{"age": 55, "sex": "female", "goal": "bone_health", "foods": {"milk": 1, "natto": 0.25}, ' ..
              '"supplements": {"calcium_mg": 500, "calcium_doses_per_day": 1, "vitamin_k2_mcg": 0}, ' ..
              '"medications": ["levothyroxine"], "conditions": []}'
  requests[#requests + 1] = wrk.format("GET", "/blog/calcium-and-vitamin-k2-bone-health-combination/")
  requests[#requests + 1] = wrk.format("GET", "/blog/")
  for age = 20, 79 do
    requests[#requests + 1] = wrk.format("GET", "/calculator/?age=" .. age .. "&sex=female&food_milk=1&calcium_mg=500")
    requests[#requests + 1] = wrk.format("POST", "/api/intake/", {["Content-Type"] = "application/json"}, api)
    requests[#requests + 1] = wrk.format("GET", "/blog/calcium-and-vitamin-k2-bone-health-combination/")
  end
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

-- The line bench/wrk.py reads, as bench/report.lua prints it.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "p99_ms": %.1f}\n',
    summary.requests, summary.duration, errors.status, errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(99) / 1000))
end
