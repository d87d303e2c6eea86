-- wrk script for every bench page: each request gets its own number i and
-- fills it into the request, so each comes from a distinct prepared
-- session (and for POST /join a distinct person and invite link).
--
-- Environment (set by bench/run.sh):
--   BENCH_METHOD  GET or POST
--   BENCH_PATH    path; {i} becomes i zero-padded to 41 digits
--   BENCH_COOKIE  Cookie header, same placeholders ({l}: login number)
--   BENCH_BODY    form body for POST, same placeholders
--   BENCH_FIRST   first i (default 1)
--   BENCH_POOL    how many numbers exist; i wraps around after them
--   BENCH_LOGINS  how many login accounts ({l} = i mod this, 4 digits)
--   BENCH_INVITES how many invite links ({v} = i mod this, 41 digits)
--   BENCH_EXPECT  the status every answer must have (200, 303)
-- At the end one line: RESULT key=value ... for bench/run.sh to read.

local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local cookie = os.getenv("BENCH_COOKIE") or ""
local body = os.getenv("BENCH_BODY") or ""
local first = tonumber(os.getenv("BENCH_FIRST") or "1")
local pool = tonumber(os.getenv("BENCH_POOL") or "1000000000")
local logins = tonumber(os.getenv("BENCH_LOGINS") or "1")
local invites = tonumber(os.getenv("BENCH_INVITES") or "1")
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")

local threads = {}
local nthreads = 0

function setup(thread)
	thread:set("tid", nthreads)
	nthreads = nthreads + 1
	table.insert(threads, thread)
end

local n = 0
bad = 0
local stride = 1
badstatus = ""

function init(args)
	stride = tonumber(os.getenv("BENCH_THREADS") or "1")
end

local function fill(s, i)
	s = s:gsub("{i}", string.format("%041d", i))
	s = s:gsub("{l}", string.format("%04d", i % logins))
	s = s:gsub("{v}", string.format("%041d", i % invites))
	return s
end

function request()
	local i = first + (tid + n * stride) % pool
	local headers = {}

	n = n + 1
	if cookie ~= "" then
		headers["Cookie"] = fill(cookie, i)
	end
	if method == "POST" then
		headers["Content-Type"] = "application/x-www-form-urlencoded"
		return wrk.format("POST", fill(path, i), headers, fill(body, i))
	end
	return wrk.format(method, fill(path, i), headers)
end

function response(status, headers, b)
	if status ~= expect then
		bad = bad + 1
		badstatus = tostring(status)
	end
end

function done(summary, latency, requests)
	local wrong, last = 0, ""
	for _, t in ipairs(threads) do
		wrong = wrong + t:get("bad")
		local s = t:get("badstatus")
		if s ~= "" then last = s end
	end
	local e = summary.errors
	io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f " ..
	    "p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f " ..
	    "bytes=%d wrong=%d wrong_status=%s socket_errors=%d\n",
	    summary.requests, summary.duration / 1e6,
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(50), latency:percentile(90),
	    latency:percentile(99), latency.max, latency.mean,
	    summary.bytes, wrong, last == "" and "-" or last,
	    e.connect + e.read + e.write + e.timeout))
end
