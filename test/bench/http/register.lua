-- wrk script for scripts/bench: every request is a valid seeker registration
-- (POST /v1/seekers) that no other request of the run repeats.
--
--   wrk ... -s register.lua URL -- TOKEN DESA_CSV RUN
--
-- TOKEN is a kiosk token, DESA_CSV the villages file (schema/data/.../desa.csv)
-- and RUN a small number that differs between runs against one database.
-- Person n is born n % 10000 days after 1970-01-01, has serial
-- n // 10000 % 9999 + 1 and a NIK made from the two, so NIKs never repeat
-- while n stays below 99,990,000: runs take ten million numbers each, and
-- the threads of a run interleave theirs.  At the end it prints how many
-- registrations were created (201), how many were not, by status, and the
-- created rate.

local THREAD_STRIDE = 16
local RUN_SPAN = 10000000
local EDUCATION = { "SMA", "SMK", "D3", "S1", "SMP", "SD" }
local SKILLS = {
	'["las"]',
	'["welding","operator alat berat"]',
	'["operator alat berat"]',
	'["pengelasan","mengemudi"]',
	'["las","perawatan mesin"]',
}

local threads = {}
local next_thread = 0

function setup(thread)
	thread:set("thread_index", next_thread)
	next_thread = next_thread + 1
	table.insert(threads, thread)
end

local headers
local desa = {}
local first, counter = 0, 0
created, failed, statuses = 0, 0, {}

function init(args)
	if #args < 3 then
		error("usage: wrk ... -s register.lua URL -- TOKEN DESA_CSV RUN")
	end
	headers = {
		["Content-Type"] = "application/json",
		["Authorization"] = "Bearer " .. args[1],
	}
	for line in io.lines(args[2]) do
		local code = line:match("^(%d+%.%d+%.%d+%.%d+),")
		if code then
			table.insert(desa, code)
		end
	end
	if #desa == 0 then
		error("no village codes in " .. args[2])
	end
	first = tonumber(args[3]) * RUN_SPAN + thread_index
end

local function nik(birth, gender, desa_code, serial)
	local province, regency, kecamatan = desa_code:match("^(%d+)%.(%d+)%.(%d+)%.")
	local day = birth.day + (gender == "F" and 40 or 0)
	return string.format("%s%s%s%02d%02d%02d%04d", province, regency, kecamatan,
		day, birth.month, birth.year % 100, serial)
end

function request()
	local n = first + counter * THREAD_STRIDE
	counter = counter + 1
	local birth = os.date("!*t", (n % 10000) * 86400)
	local gender = n % 2 == 1 and "F" or "M"
	local desa_code = desa[n % #desa + 1]
	local body = string.format(
		'{"nik":"%s","full_name":"Peserta Uji %d","birth_date":"%04d-%02d-%02d",' ..
		'"gender":"%s","phone":"+62812%07d","desa_code":"%s","education":"%s",' ..
		'"skills":%s,"experience_years":%d,"disability":false,' ..
		'"consent":{"version":"1","accepted":true}}',
		nik(birth, gender, desa_code, math.floor(n / 10000) % 9999 + 1), n,
		birth.year, birth.month, birth.day, gender, n % 10000000, desa_code,
		EDUCATION[n % #EDUCATION + 1], SKILLS[n % #SKILLS + 1], n % 15)
	return wrk.format("POST", "/v1/seekers", headers, body)
end

function response(status, response_headers, body)
	if status == 201 then
		created = created + 1
	else
		failed = failed + 1
		statuses[status] = (statuses[status] or 0) + 1
	end
end

function done(summary, latency, requests)
	local total_created, total_failed, by_status = 0, 0, {}
	for _, thread in ipairs(threads) do
		total_created = total_created + thread:get("created")
		total_failed = total_failed + thread:get("failed")
		for status, count in pairs(thread:get("statuses")) do
			by_status[status] = (by_status[status] or 0) + count
		end
	end
	local parts = {}
	for status, count in pairs(by_status) do
		table.insert(parts, status .. "=" .. count)
	end
	table.sort(parts)
	io.write(string.format("kd_created %d\nkd_failed %d\nkd_statuses %s\nkd_rate %.1f\n",
		total_created, total_failed, table.concat(parts, ","),
		total_created / (summary.duration / 1e6)))
end
