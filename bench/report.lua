-- wrk script: print one JSON line with the latency percentiles (milliseconds) and the error counts.
-- For POST targets, BENCH_BODY_FILE names the request body and BENCH_METHOD the method.
local body_file = os.getenv("BENCH_BODY_FILE")
if body_file then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = os.getenv("BENCH_METHOD") or "POST"
  wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") or "application/json"
end

-- BENCH_FRESH=results|api: every request asks a question not asked before (the cold path): a unique query string
-- on BENCH_PATH (the calculator) or a unique JSON body (the API). Each wrk thread counts from its own offset.
local fresh = os.getenv("BENCH_FRESH")
local fresh_path = os.getenv("BENCH_PATH") or "/"
local threads = 0

function setup(thread)
  thread:set("offset", threads * 10000000)
  threads = threads + 1
end

function init(args)
  counter = offset or 0
end

if fresh then
  request = function()
    counter = counter + 1
    local milk = (counter % 2000) / 100
    local calcium = (math.floor(counter / 2000) % 100) * 50
    local age = 18 + (math.floor(counter / 200000) % 80)
    if fresh == "api" then
      local body = string.format(
        '{"age": %d, "sex": "female", "life_stage": "none", "goal": "bone_health", ' ..
        '"foods": {"milk": %.2f, "natto": 0.25}, "supplements": {"calcium_mg": %d, "calcium_doses_per_day": 1, ' ..
        '"vitamin_k2_mcg": 0}, "medications": ["levothyroxine"], "conditions": []}', age, milk, calcium)
      return wrk.format("POST", fresh_path, {["Content-Type"] = "application/json"}, body)
    end
    return wrk.format("GET", string.format(
      "%s?age=%d&sex=female&life_stage=none&goal=bone_health&food_milk=%.2f&food_natto=0.25&calcium_mg=%d" ..
      "&calcium_doses_per_day=1&vitamin_k2_mcg=0&medications=levothyroxine", fresh_path, age, milk, calcium))
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, ' ..
    '"max_ms": %.3f, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
