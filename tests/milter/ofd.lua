dofile(common)
-- ofd.lua - an inbound OFD contract with an SES seal (made by tests/ofd/sestool.py, its SM2
-- root among the trust anchors) is verified through the milter.  (Outbound OFD sealing replaces
-- the body, which overflows miltertest's 1 KB reply buffer: it is checked through Postfix in
-- tests/e2e/custody-test.sh and with `eseal check-message` in tests/ofd/ofd-test.sh.)

local conn = start("192.0.2.10")
send(conn, "ofd-in.eml")
expect(mt.getreply(conn) == SMFIR_CONTINUE, "inbound OFD: continue")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Verification",
	"mx.test; result=pass; sealed=1; failed=0; unsealed=0"), "the SES seal verifies: pass")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Attachment"), "an ESeal-Attachment line")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "inbound body never changed")
mt.disconnect(conn)
