-- The pull of an up-to-date client: GET /api/v1/sync/pull?cursor=<the user's newest seq>, users in turn.
-- Args: the users file. An answer with changes in it counts as unexpected (the client was not up to date).
package.path = string.match(debug.getinfo(1, "S").source, "^@(.*/)") .. "?.lua;" .. package.path
require("common")

local users, n

function init(args)
   users = dofile(args[1])
   n = tid or 0
end

function request()
   n = n + 1
   local u = users[(n % #users) + 1]
   return wrk.format("GET", "/api/v1/sync/pull?cursor=" .. u.cursor, {["Authorization"] = "Bearer " .. u.token})
end

function response(status, headers, body)
   check(status, body, '"changes":[]')
end
