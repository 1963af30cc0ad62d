-- common.lua - helpers for the miltertest scripts: connect as a given client, send a
-- message file, check the changes the milter asked for.  Globals from run-miltertest.sh:
-- socket (inet:PORT@127.0.0.1), msgdir (folder of .eml files).

-- start(client_ip, macros, sender) -> connection after MAIL and RCPT
function start(client_ip, mail_macros, sender)
	local conn = mt.connect(socket, 20, 0.25)
	if conn == nil then error("cannot connect to " .. socket) end
	if mt.conninfo(conn, "client.example", client_ip) ~= nil then error("conninfo") end
	-- after HELO: libmilter forgets the macros of later stages when a HELO arrives
	if mt.helo(conn, "client.example") ~= nil then error("helo") end
	mt.macro(conn, SMFIC_MAIL, "i", "TESTQID", table.unpack(mail_macros or {}))
	if mt.mailfrom(conn, sender or "<sender@example.com>") ~= nil then error("mailfrom") end
	if mt.rcptto(conn, "<rcpt@example.org>") ~= nil then error("rcptto") end
	return conn
end

-- send(conn, file): the headers and body of an .eml file (CRLF on the wire), then EOM
function send(conn, file)
	local f = assert(io.open(msgdir .. "/" .. file, "rb"))
	local text = f:read("a"):gsub("\r\n", "\n")
	f:close()
	local head, body = text:match("^(.-)\n\n(.*)$")
	local name, value
	for line in (head .. "\n"):gmatch("(.-)\n") do
		if line:match("^[ \t]") then
			value = value .. "\n" .. line
		else
			if name then mt.header(conn, name, value) end
			name, value = line:match("^([^:]+):%s*(.*)$")
		end
	end
	if name then mt.header(conn, name, value) end
	if mt.eoh(conn) ~= nil then error("eoh") end
	body = body:gsub("\n", "\r\n")
	for at = 1, #body, 65535 do -- the protocol's largest body chunk, as an MTA sends it
		if mt.bodystring(conn, body:sub(at, at + 65534)) ~= nil then error("body") end
	end
	if mt.eom(conn) ~= nil then error("eom") end
end

function expect(cond, what)
	if not cond then
		print("not ok - " .. what)
		error("FAILED: " .. what)
	end
	print("ok - " .. what)
end
