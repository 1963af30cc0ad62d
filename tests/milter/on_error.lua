dofile(common)
-- on_error.lua - an internal failure (run-miltertest.sh starts the milter with an unusable
-- TMPDIR, so the sealed body cannot be spooled) gets on_error = tempfail: 451, no change.
local conn = start("127.0.0.1")
send(conn, "ours-from-outside.eml")
expect(mt.getreply(conn) == SMFIR_REPLYCODE, "internal error: on_error=tempfail")
expect(mt.eom_check(conn, MT_SMTPREPLY, "451", "4.3.0",
	"eseal: the message cannot be processed now, try later"), "with a 451 4.3.0 reply")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "and nothing half-changed")
expect(not mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound"), "not even a header")
mt.disconnect(conn)
