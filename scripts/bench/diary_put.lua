-- wrk script: PUT diary entries for random dates over ten years (upserts), as one API client.
-- The token comes from the environment (EPSOM_TOKEN).
local token = os.getenv("EPSOM_TOKEN")
math.randomseed(os.time())
request = function()
  local day = math.random(0, 3650)
  local y = 2016 + math.floor(day / 365)
  local d = day % 365
  local m = math.floor(d / 31) + 1
  local dd = (d % 28) + 1
  local path = string.format("/api/v1/diary/%04d-%02d-%02d", y, m, dd)
  local body = string.format('{"pain":%d,"sleep":%d,"spasms":%d,"note":"load test"}', math.random(0, 10), math.random(0, 10), math.random(0, 10))
  return wrk.format("PUT", path, {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
