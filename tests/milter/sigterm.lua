dofile(common)
-- sigterm.lua - SIGTERM while a message is in flight: the milter stops taking connections
-- but finishes the message (run-miltertest.sh lets this script start the milter itself, so
-- that mt.signal can reach it; globals milter and conf).
mt.startfilter(milter, "-f", "-c", conf)
local conn = start("192.0.2.10")
local f = assert(io.open(msgdir .. "/contract-in.eml", "rb"))
local text = f:read("a"):gsub("\r\n", "\n")
f:close()
local head, body = text:match("^(.-)\n\n(.*)$")
for line in (head .. "\n"):gmatch("(.-)\n") do
	local name, value = line:match("^([^:]+):%s*(.*)$")
	if name then mt.header(conn, name, value) end
end
mt.eoh(conn)
mt.bodystring(conn, (body:gsub("\n", "\r\n")))
mt.signal(15) -- SIGTERM before the end of the message
mt.sleep(1)
if mt.eom(conn) ~= nil then error("eom") end
expect(mt.getreply(conn) == SMFIR_CONTINUE, "SIGTERM in mid-message: the message is finished")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Verification"), "and checked as usual")
mt.disconnect(conn)
mt.sleep(6) -- libmilter notices the stop at its next poll, within 5 s
local connected, again = pcall(mt.connect, socket, 1, 0.5)
expect(not connected or again == nil, "once drained, the milter is gone")
