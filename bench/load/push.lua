-- A push of one favorite.set operation with a fresh id per request: POST /api/v1/sync/push, users in turn.
-- Args: the users file, a run nonce (8 hex digits) so ids never repeat across runs. The id is
-- <nonce>-<thread>-4000-8000-<counter>: unique without randomness (threads' math.random would share seeds).
-- An answer whose result is not "applied" counts as unexpected.
package.path = string.match(debug.getinfo(1, "S").source, "^@(.*/)") .. "?.lua;" .. package.path
require("common")

local users, nonce, n, count

function init(args)
   users = dofile(args[1])
   nonce = args[2]
   n = tid or 0
   count = 0
end

function request()
   n = n + 1
   count = count + 1
   local u = users[(n % #users) + 1]
   local code = u.codes[(math.floor(count / 2) % #u.codes) + 1]
   local id = string.format("%s-%04x-4000-8000-%012x", nonce, tid or 0, count)
   local body = string.format(
      '{"device_id":"%s","ops":[{"id":"%s","seq":%d,"type":"favorite.set",'
      .. '"payload":{"process_code":"%s","on":%s},"created_at":"2026-12-05T08:00:00+00:00"}]}',
      u.device, id, count, code, (count % 2 == 0) and "true" or "false")
   return wrk.format("POST", "/api/v1/sync/push",
      {["Authorization"] = "Bearer " .. u.token, ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
   check(status, body, '"status":"applied"')
end
