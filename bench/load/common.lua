-- Shared by pull.lua and push.lua (wrk 4, LuaJIT). The users file is written by bench/bench_load.py:
-- `return { {token=..., cursor=..., device=..., codes={...}}, ... }`. Each wrk thread has its own Lua state;
-- setup() numbers them so that they start at different users and make different operation ids.
local threads = {}
local next_id = 0

function setup(thread)
   thread:set("tid", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

-- Answers whose body is not what the script expects (a non-empty pull, a push not "applied"); wrk itself counts
-- non-2xx statuses and socket errors.
unexpected = 0
sample = nil

function check(status, body, wanted)
   if status == 200 and not string.find(body, wanted, 1, true) then
      unexpected = unexpected + 1
      if sample == nil then sample = string.sub(body, 1, 300) end
   end
end

local function quote(s)
   return '"' .. string.gsub(tostring(s), '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

function done(summary, latency, requests)
   local bad, first = 0, nil
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("unexpected") or 0)
      first = first or thread:get("sample")
   end
   local e = summary.errors
   io.write("WRK_JSON ", string.format(
      '{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,'
      .. '"unexpected":%d,"unexpected_sample":%s,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      bad, first and quote(first) or "null", latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean), "\n")
end
