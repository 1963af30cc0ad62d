dofile(common)
-- policy.lua - the Article 3 and contract policies through the milter: an excluded document
-- is not sealed, an unsealed inbound contract is flagged and tagged, a sealed one is not.

local conn = start("127.0.0.1")
send(conn, "divorce-out.eml")
expect(mt.getreply(conn) == SMFIR_CONTINUE, "outbound divorce agreement: delivered")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Outbound",
	"mx.test; sealed=0; refused=1;\n\tseal=\"CN=Example Co. EC Seal,O=Example Co.,C=CN\""),
	"ESeal-Outbound counts it refused")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Attachment",
	"mx.test; name=\"=?UTF-8?B?56a75ama5Y2P6K6u5LmmLnR4dA==?=\";\n" ..
	"\taction=refused; category=personal-relationship;\n" ..
	"\tbasis=\"PRC Electronic Signature Law art. 3(1)\""),
	"ESeal-Attachment: action=refused, category and basis")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "and no seal added")
mt.disconnect(conn)

conn = start("192.0.2.10")
send(conn, "contract-in.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Flag",
	"mx.test; unverified-contract;\n\tname=\"=?UTF-8?B?6YeH6LSt5ZCI5ZCMLnR4dA==?=\""),
	"inbound unsealed contract: ESeal-Flag unverified-contract")
expect(mt.eom_check(conn, MT_HDRCHANGE, "Subject", "[UNVERIFIED] Contract 2026-042"),
	"and the subject tag")
mt.disconnect(conn)

conn = start("192.0.2.10")
send(conn, "contract-sealed.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Verification",
	"mx.test; result=pass; sealed=1; failed=0; unsealed=0"), "inbound sealed contract: pass")
expect(not mt.eom_check(conn, MT_HDRINSERT, "ESeal-Flag"), "and no ESeal-Flag")
expect(not mt.eom_check(conn, MT_HDRCHANGE, "Subject"), "and no subject tag")
mt.disconnect(conn)

conn = start("192.0.2.10")
send(conn, "divorce-in.eml")
expect(mt.eom_check(conn, MT_HDRINSERT, "ESeal-Policy",
	"mx.test; excluded=personal-relationship;\n" ..
	"\tbasis=\"PRC Electronic Signature Law art. 3(1)\";\n" ..
	"\tname=\"=?UTF-8?B?56a75ama5Y2P6K6u5LmmLnR4dA==?=\""),
	"inbound divorce agreement: ESeal-Policy excluded=personal-relationship")
expect(not mt.eom_check(conn, MT_HDRINSERT, "ESeal-Flag"),
	"and no ESeal-Flag: a seal would have no legal effect on it")
mt.disconnect(conn)
