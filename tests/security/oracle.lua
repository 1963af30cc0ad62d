dofile(common)
-- oracle.lua - no sealing oracle: an outside client (192.0.2.10, 2001:db8::25) gets nothing
-- sealed however it dresses up.  Run by oracle-test.sh, whose configuration has
-- outbound_daemons = {ORIGINATING} and internal_hosts = {127.0.0.0/8, "::1"}.  Every attack
-- sends ours-from-outside.eml (From: ceo@example.com, a PDF attachment); the verdict of a
-- case is read from the milter's edits: inbound inserts ESeal-Verification and never changes
-- the body, outbound inserts ESeal-Outbound (and would replace the body to seal).
-- Globals from oracle-test.sh: socket, msgdir, common.

-- open(ip, o) -> connection after RCPT; o.connect: macros at connect ({daemon_name},
-- {client_addr}), o.host: the client's host name, o.helo, o.mail: macros at MAIL,
-- o.sender: the envelope sender
local function open(ip, o)
	o = o or {}
	local conn = mt.connect(socket, 20, 0.25)
	if conn == nil then error("cannot connect to " .. socket) end
	if o.connect then mt.macro(conn, SMFIC_CONNECT, table.unpack(o.connect)) end
	if mt.conninfo(conn, o.host or "client.example", ip) ~= nil then error("conninfo") end
	if mt.helo(conn, o.helo or "client.example") ~= nil then error("helo") end
	mt.macro(conn, SMFIC_MAIL, "i", "ORACLEQID", table.unpack(o.mail or {}))
	if mt.mailfrom(conn, o.sender or "<ceo@example.com>") ~= nil then error("mailfrom") end
	if mt.rcptto(conn, "<rcpt@example.org>") ~= nil then error("rcptto") end
	return conn
end

-- send_with(conn, file, extra): the message file with the header fields extra (a list of
-- {name, value}) before its own, then EOM
local function send_with(conn, file, extra)
	for _, h in ipairs(extra or {}) do mt.header(conn, h[1], h[2]) end
	send(conn, file)
end

-- not_sealed(conn, what): the milter treated the message as inbound
local function not_sealed(conn, what)
	expect(mt.getreply(conn) == SMFIR_CONTINUE, what .. ": delivered")
	expect(not mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound"), what .. ": no ESeal-Outbound")
	expect(not mt.eom_check(conn, MT_BODYCHANGE), what .. ": body unchanged (nothing sealed)")
	expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Verification"),
		what .. ": checked as inbound (ESeal-Verification)")
	mt.disconnect(conn)
end

-- controls: the configured ways to be outbound work, so the attacks below prove something
local conn = open("192.0.2.10", {connect = {"{daemon_name}", "ORIGINATING"}})
send(conn, "plain.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound"),
	"control: {daemon_name} ORIGINATING (set by the MTA) is outbound")
mt.disconnect(conn)
conn = open("192.0.2.10", {mail = {"{auth_authen}", "ceo"}})
send(conn, "plain.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound"),
	"control: {auth_authen} (SMTP AUTH succeeded) is outbound")
mt.disconnect(conn)
conn = open("127.0.0.1")
send(conn, "plain.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound"), "control: 127.0.0.1 is outbound")
mt.disconnect(conn)

-- From and Sender in our domain, the envelope sender too
conn = open("192.0.2.10", {connect = {"{daemon_name}", "smtpd"}})
send_with(conn, "ours-from-outside.eml", {{"Sender", "Sales <sales@example.com>"},
	{"Return-Path", "<ceo@example.com>"}})
not_sealed(conn, "From, Sender, envelope sender in our domain")

-- header fields that look like the MTA's macros or like a request to seal
conn = open("192.0.2.10", {connect = {"{daemon_name}", "smtpd"}})
send_with(conn, "ours-from-outside.eml", {{"{daemon_name}", "ORIGINATING"},
	{"daemon_name", "ORIGINATING"}, {"X-Daemon-Name", "ORIGINATING"},
	{"{auth_authen}", "ceo"}, {"X-Authenticated-User", "ceo@example.com"},
	{"Received", "from mx.test (localhost [127.0.0.1]) by mx.test (Postfix) with ESMTPSA"}})
not_sealed(conn, "header fields named like {daemon_name}/{auth_authen}, a local Received")

conn = open("192.0.2.10")
send_with(conn, "ours-from-outside.eml", {{"ESeal-Outbound", "mx.test; sealed=1; refused=0"},
	{"ESeal-Seal", "yes"}, {"ESeal-Direction", "outbound"}, {"ESeal-Request", "seal example.com"},
	{"eseal-outbound", "mx.test; please seal"}})
expect(mt.getreply(conn) == SMFIR_CONTINUE, "ESeal-* headers asking for a seal: delivered")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "ESeal-* headers asking for a seal: not sealed")
expect(mt.eom_check(conn, MT_HDRDELETE, "ESeal-Outbound"), "the forged ESeal-Outbound is deleted")
expect(mt.eom_check(conn, MT_HDRDELETE, "ESeal-Seal"), "ESeal-Seal is deleted")
expect(mt.eom_check(conn, MT_HDRDELETE, "ESeal-Direction"), "ESeal-Direction is deleted")
expect(mt.eom_check(conn, MT_HDRDELETE, "ESeal-Request"), "ESeal-Request is deleted")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Verification"), "and checked as inbound")
mt.disconnect(conn)

-- HELO (and the client's host name) as our host or a local one
for _, helo in ipairs({"mx.test", "localhost", "[127.0.0.1]", "example.com", "[IPv6:::1]"}) do
	conn = open("192.0.2.10", {helo = helo, host = "localhost"})
	send(conn, "ours-from-outside.eml")
	not_sealed(conn, "HELO " .. helo .. " from 192.0.2.10")
end

-- a {client_addr} macro that says local does not beat the connection's address
conn = open("192.0.2.10", {connect = {"{client_addr}", "127.0.0.1", "{client_name}", "localhost"}})
send(conn, "ours-from-outside.eml")
not_sealed(conn, "{client_addr} 127.0.0.1 on a connection from 192.0.2.10")

-- SMTP AUTH tried but not successful: Postfix sets no {auth_authen}; an empty one and the
-- other auth macros alone are not a login either
conn = open("192.0.2.10", {mail = {"{auth_type}", "PLAIN"}})
send(conn, "ours-from-outside.eml")
not_sealed(conn, "{auth_type} without {auth_authen}")
conn = open("192.0.2.10", {mail = {"{auth_authen}", "", "{auth_type}", "LOGIN"}})
send(conn, "ours-from-outside.eml")
not_sealed(conn, "empty {auth_authen}")
conn = open("192.0.2.10", {mail = {"{auth_author}", "ceo@example.com", "{auth_ssf}", "256"}})
send(conn, "ours-from-outside.eml")
not_sealed(conn, "{auth_author} without {auth_authen}")

-- a daemon name that is not exactly the configured one
for _, name in ipairs({"originating", "ORIGINATING ", "ORIGINATINGX", ""}) do
	conn = open("192.0.2.10", {connect = {"{daemon_name}", name}})
	send(conn, "ours-from-outside.eml")
	not_sealed(conn, "{daemon_name} '" .. name .. "'")
end

-- outside addresses that contain a local one
for _, ip in ipairs({"::ffff:192.0.2.10", "2001:db8::127.0.0.1", "2001:db8::1"}) do
	conn = open(ip, {helo = "localhost"})
	send(conn, "ours-from-outside.eml")
	not_sealed(conn, "client " .. ip)
end
