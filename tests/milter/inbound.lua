dofile(common)
-- inbound.lua - an outside client: seals verified, forged headers removed, nothing sealed.
-- sealed.eml is a message sealed by this milter's seal; forged.eml carries forged
-- ESeal-* headers; ours-from-outside.eml claims From: example.com and has an attachment.

local conn = start("192.0.2.10")
send(conn, "sealed.eml")
expect(mt.getreply(conn) == SMFIR_CONTINUE, "sealed message from outside: continue")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Verification",
	"mx.test; result=pass; sealed=1; failed=0; unsealed=0"), "result=pass for the intact seal")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Attachment"), "an ESeal-Attachment line")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "inbound body never changed")
mt.disconnect(conn)

conn = start("192.0.2.10")
send(conn, "tampered.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Verification",
	"mx.test; result=fail; sealed=1; failed=1; unsealed=0"), "result=fail for a changed attachment")
mt.disconnect(conn)

conn = start("192.0.2.10")
send(conn, "forged.eml")
expect(mt.eom_check(conn, MT_HDRDELETE, "ESeal-Verification"), "forged ESeal-Verification deleted")
expect(mt.eom_check(conn, MT_HDRDELETE, "ESeal-Flag"), "forged ESeal-Flag deleted")
expect(mt.eom_check(conn, MT_HDRDELETE, "Authentication-Results"),
	"forged Authentication-Results with our authserv-id deleted")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Verification",
	"mx.test; result=none; sealed=0; failed=0; unsealed=0"), "our own verdict: none")
mt.disconnect(conn)

conn = start("192.0.2.10")
send(conn, "ours-from-outside.eml")
expect(not mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound"),
	"From: our domain via an outside client: no ESeal-Outbound")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "and no seal added (no body change)")
mt.disconnect(conn)

-- an outside client may not make itself internal with its own headers or HELO
conn = start("2001:db8::25")
send(conn, "ours-from-outside.eml")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "IPv6 outside client: not sealed")
mt.disconnect(conn)
