dofile(common)
-- authserv.lua - the running configuration's authserv-id, as seen in a verdict header;
-- run by run-miltertest.sh around SIGHUP reloads (global authserv: the expected id).
local conn = start("192.0.2.10")
send(conn, "plain.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Verification",
	authserv .. "; result=none; sealed=0; failed=0; unsealed=0"), "authserv-id is " .. authserv)
mt.disconnect(conn)
