dofile(common)
-- outbound.lua - internal hosts and authenticated senders are outbound; the answer for
-- messages the milter cannot process follows on_error.  (Body replacement itself is checked
-- through Postfix and `eseal check-message`: miltertest reads every reply into a 1 KB stack
-- buffer, so a sealed body, which carries a certificate chain, overflows it.)

local conn = start("127.0.0.1")
send(conn, "plain.eml")
expect(mt.getreply(conn) == SMFIR_CONTINUE, "internal client: continue")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound"), "internal client: ESeal-Outbound")
mt.disconnect(conn)

conn = start("192.0.2.10", {"{auth_authen}", "sales"})
send(conn, "plain.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound"), "SMTP AUTH from outside: outbound")
mt.disconnect(conn)

conn = start("::1")
send(conn, "other-domain.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound",
	"mx.test; sealed=0; refused=0;\n\treason=\"no seal for author domain example.net\""),
	"author domain without a seal section: said so")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "and not sealed")
mt.disconnect(conn)

conn = start("127.0.0.1")
send(conn, "smime-signed.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound"), "S/MIME signed: a header")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "S/MIME signed: body untouched")
mt.disconnect(conn)

conn = start("127.0.0.1")
send(conn, "big.eml")
expect(mt.getreply(conn) == SMFIR_CONTINUE,
	"outbound over max_message_size: delivered (a permanent condition is not deferred)")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound"), "with an ESeal-Outbound that says why")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "unsealed")
mt.disconnect(conn)

-- an internal user may write any From; the MTA vouches only for the envelope sender
conn = start("127.0.0.1", nil, "<someone@example.net>")
send(conn, "ours-from-outside.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound",
	"mx.test; sealed=0; refused=0;\n" ..
	"\treason=\"the envelope sender <someone@example.net> is not of author domain example.com\""),
	"From: example.com with another envelope sender: not sealed, and said why")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "no seal added")
mt.disconnect(conn)

conn = start("127.0.0.1", nil, "<>")
send(conn, "ours-from-outside.eml")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "a bounce (empty envelope sender) is not sealed")
mt.disconnect(conn)
