dofile(common)
-- limits.lua - messages past the limits of eseal-milter(8), LIMITS, through the milter: passed
-- on unprocessed, forged headers deleted, one header with the reason; the body unchanged.
-- The messages are made here (the test configuration's max_message_size is 64K).

-- deliver(conn, headers, body): headers is a list of {name, value}; then EOM
local function deliver(conn, headers, body)
	for _, h in ipairs(headers) do
		if mt.header(conn, h[1], h[2]) ~= nil then error("header") end
	end
	if mt.eoh(conn) ~= nil then error("eoh") end
	if mt.bodystring(conn, body) ~= nil then error("body") end
	if mt.eom(conn) ~= nil then error("eom") end
end

local function base_headers()
	return {{"From", "sales@example.com"}, {"To", "rcpt@example.org"}, {"Subject", "limits"},
		{"MIME-Version", "1.0"}, {"ESeal-Verification", "mx.test; result=pass"}}
end

-- 10,001 header fields (plus the five above): too many, in both directions
local many = base_headers()
for i = 1, 10001 do many[#many + 1] = {"a", "b"} end
local conn = start("192.0.2.10")
deliver(conn, many, "body\r\n")
expect(mt.getreply(conn) == SMFIR_CONTINUE, "10,006 headers inbound: continue, not deferred")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Verification",
	'mx.test; result=error;\n\treason="more than 10000 header fields (line 10001)"'),
	"result=error with the reason")
expect(mt.eom_check(conn, MT_HDRDELETE, "ESeal-Verification"), "the forged verdict deleted")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "body unchanged")
mt.disconnect(conn)

conn = start("127.0.0.1")
deliver(conn, many, "body\r\n")
expect(mt.getreply(conn) == SMFIR_CONTINUE, "10,006 headers outbound: continue")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound",
	'mx.test; sealed=0; refused=0;\n\treason="more than 10000 header fields (line 10001)"'),
	"ESeal-Outbound sealed=0 with the reason")
mt.disconnect(conn)

-- multiparts nested 150 deep
local nested = base_headers()
nested[#nested + 1] = {"Content-Type", 'multipart/mixed; boundary="b0"'}
local body = {}
for i = 1, 149 do
	body[#body + 1] = string.format('--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n',
		i - 1, i)
end
body[#body + 1] = "--b149\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
for i = 149, 0, -1 do body[#body + 1] = string.format("--b%d--\r\n", i) end
conn = start("192.0.2.10")
deliver(conn, nested, table.concat(body))
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Verification",
	'mx.test; result=error;\n\treason="MIME parts nested more than 100 deep"'),
	"nested 150 deep: result=error with the reason")
mt.disconnect(conn)

-- an attachment whose base64 has garbage in it
local garbage = base_headers()
garbage[#garbage + 1] = {"Content-Type", 'multipart/mixed; boundary="b"'}
conn = start("127.0.0.1")
deliver(conn, garbage, '--b\r\nContent-Type: text/plain\r\n\r\nsee\r\n--b\r\n' ..
	'Content-Type: application/octet-stream\r\n' ..
	'Content-Disposition: attachment; filename="g.bin"\r\n' ..
	'Content-Transfer-Encoding: base64\r\n\r\nQUJD\r\n!QUJD\r\n--b--\r\n')
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound",
	'mx.test; sealed=0; refused=0;\n\treason="\\"g.bin\\": not valid base64 (byte 0x21 at offset 6 of its content)"'),
	"base64 garbage outbound: not sealed, with the reason")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "and no seal added")
mt.disconnect(conn)
