#!/usr/bin/env python3
"""stress.py COMMAND ... -- the mail side of stress-test.sh.

  send PORT WORKDIR COUNT CLIENTS
      Warm-up: 4 sealable messages from 127.0.0.1, waited for in WORKDIR/mail/warm; their
      delivered form is the template of the inbound sealed and tampered messages.  Then
      COUNT messages, each with a unique Message-ID, from CLIENTS concurrent SMTP clients
      (one session per message) to 127.0.0.1:PORT, in a fixed mix:
        out        35%  from 127.0.0.1 (internal), From sales@example.com, 1-3 attachments
                        (PDF, DOCX, UTF-8 text), all sealable
        excluded   10%  from 127.0.0.1, From legal@example.com, a divorce agreement
                        (Article 3: refuse-seal) and a contract beside it
        in-sealed  20%  from 127.0.0.2 (outside), a message the milter sealed (warm-up)
        in-tampered 15% the same with one byte of one attachment changed
        malformed  20%  from 127.0.0.2: broken MIME, NUL bytes, a huge header, bad base64,
                        deep nesting, a sealed message cut short in a .p7s (never
                        result=pass) or in its PDF (that PDF never result=pass)
      A 4xx reply (or a refused or dropped connection: the milter down) is retried after a
      short pause, for at most 120 s per message; a 5xx is final.  While sending, the
      number of messages finished is kept in WORKDIR/progress.  Writes WORKDIR/sent.json.
  check WORKDIR ESEAL_BIN TRUST CRL_DIR
      Reads WORKDIR/sent.json and every maildir under WORKDIR/mail; checks each accepted
      message delivered exactly once, outbound seals (PDF: `eseal verify`; .p7s: `openssl
      cms -verify`), excluded attachments not sealed, inbound verdicts.  Prints `ok -`/
      `not ok -` lines and the counts; exit 0 when every check passed, 1 otherwise.
Exit 2 on usage errors.
"""
import concurrent.futures
import email
import email.policy
import json
import os
import random
import re
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mailtool  # noqa: E402

RETRY_FOR = 120.0        # seconds a message is retried on 4xx before the client gives up
SMTP_TIMEOUT = 120.0     # seconds for one SMTP reply
MIX = [("out", 35), ("excluded", 10), ("in-sealed", 20), ("in-tampered", 15),
       ("malformed", 20)]
RCPT = {"out": "out", "excluded": "excl", "in-sealed": "insealed",
        "in-tampered": "intampered", "malformed": "malformed"}
INSIDE, OUTSIDE = "127.0.0.1", "127.0.0.2"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTRACT = ("合同\n甲方：示例有限公司（Example Co.）\n乙方：某某贸易公司\n"
            "第一条 货物与价款：按附件报价单执行。编号 %s\n")
DIVORCE = ("离婚协议书\n男方张三，女方李四，双方自愿离婚，达成离婚协议：解除婚姻关系；"
           "婚生子女由女方抚养，男方支付抚养费；夫妻共同财产分割如下。编号 %s\n")
MALFORMED = ["broken-mime", "nul-bytes", "huge-header", "bad-base64", "deep-nesting",
             "cut-signature", "cut-pdf"]


def crlf(raw):
    """Every line ending CRLF, as on the wire."""
    return re.sub(rb"\r?\n", b"\r\n", raw)


def b64lines(data):
    import base64
    text = base64.b64encode(data).decode("ascii")
    return "\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def enc_name(name):
    """An RFC 2047 encoded-word for a non-ASCII file name."""
    import base64
    if name.isascii():
        return name
    return "=?UTF-8?B?%s?=" % base64.b64encode(name.encode()).decode()


def multipart(headers, parts, boundary):
    """A multipart/mixed message: headers (list of lines), parts (list of (headers, body))."""
    out = list(headers) + ["MIME-Version: 1.0",
                           'Content-Type: multipart/mixed; boundary="%s"' % boundary, ""]
    for ph, body in parts:
        out.append("--" + boundary)
        out.extend(ph)
        out.append("")
        out.append(body)
    out.append("--%s--" % boundary)
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


def attachment(name, ctype, data):
    n = enc_name(name)
    return (['Content-Type: %s; name="%s"' % (ctype, n),
             'Content-Disposition: attachment; filename="%s"' % n,
             "Content-Transfer-Encoding: base64"], b64lines(data))


def text_part(text):
    return (["Content-Type: text/plain; charset=UTF-8",
             "Content-Transfer-Encoding: 8bit"], text)


def outbound(mid, rng, sender, to):
    """A sealable message: 1-3 of PDF, DOCX, text; returns (bytes, attachment names)."""
    tag = mid.strip("<>").split("@")[0]
    kinds = rng.sample(["pdf", "docx", "txt"], rng.randint(1, 3))
    parts = [text_part("Dear partner, the documents %s are attached." % tag)]
    names = []
    for k in kinds:
        if k == "pdf":
            names.append("quotation-%s.pdf" % tag)
            parts.append(attachment(names[-1], "application/pdf",
                                    mailtool.pdf_bytes("Quotation " + tag)))
        elif k == "docx":
            names.append("offer-%s.docx" % tag)
            parts.append(attachment(names[-1], DOCX_TYPE,
                                    mailtool.docx_bytes("Offer " + tag)))
        else:
            names.append("合同-%s.txt" % tag)
            parts.append(attachment(names[-1], "text/plain; charset=UTF-8",
                                    (CONTRACT % tag).encode()))
    hdr = ["From: Sales <%s>" % sender, "To: <%s@example.org>" % to,
           "Subject: Quotation %s" % tag, "Date: Wed, 25 Nov 2026 10:00:00 +0800",
           "Message-ID: %s" % mid]
    return multipart(hdr, parts, "=-b-" + tag), names


def excluded(mid):
    tag = mid.strip("<>").split("@")[0]
    parts = [text_part("Two documents."),
             attachment("离婚协议书-%s.txt" % tag, "text/plain; charset=UTF-8",
                        (DIVORCE % tag).encode()),
             attachment("合同-%s.txt" % tag, "text/plain; charset=UTF-8",
                        (CONTRACT % tag).encode())]
    hdr = ["From: Legal <legal@example.com>", "To: <excl@example.org>",
           "Subject: two documents %s" % tag, "Date: Wed, 25 Nov 2026 10:00:00 +0800",
           "Message-ID: %s" % mid]
    return multipart(hdr, parts, "=-x-" + tag)


def set_message_id(raw, mid):
    """raw with its Message-ID header replaced (the seals do not cover it)."""
    new, n = re.subn(rb"(?im)^Message-ID:[^\r\n]*(\r?\n[ \t][^\r\n]*)*", b"Message-ID: " +
                     mid.encode(), raw, count=1)
    if n != 1:
        raise ValueError("no Message-ID header")
    return new


def strip_headers(raw, names):
    head, _ = mailtool.split_head(raw)
    drop = {n.lower() for n in names}
    kept = b"".join(b"".join(lines) for name, lines in mailtool.header_fields(head)
                    if name.lower() not in drop)
    return kept + raw[len(head):]


def malformed(mid, sub, templates, rng):
    tag = mid.strip("<>").split("@")[0]
    top = ["Message-ID: %s" % mid, "From: Partner <partner@example.net>",
           "To: <malformed@example.org>", "Subject: %s %s" % (sub, tag),
           "Date: Wed, 25 Nov 2026 10:00:00 +0800"]
    pdf = mailtool.pdf_bytes("Invoice " + tag)
    if sub == "broken-mime":
        # a boundary that never closes, a part without a blank line, a nested multipart
        # whose boundary is missing
        body = "\r\n".join(top + [
            "MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="=-open"', "",
            "--=-open", "Content-Type: multipart/alternative", "Content-Type: text/plain",
            "no boundary here", "--=-open",
            'Content-Type: application/pdf; name="invoice.pdf"',
            "Content-Transfer-Encoding: base64", "", b64lines(pdf),
            "--=-open", 'Content-Type: application/pkcs7-signature; name="invoice.pdf.p7s"',
            "Content-Transfer-Encoding: base64", "", "MIIB", ""])
        return body.encode()
    if sub == "nul-bytes":
        parts = [(["Content-Type: text/plain; charset=us-ascii",
                   "Content-Transfer-Encoding: 8bit"], "NUL\x00in\x00the\x00text"),
                 (['Content-Type: application/octet-stream; name="nul.bin"',
                   'Content-Disposition: attachment; filename="nul\x00.bin"',
                   "Content-Transfer-Encoding: binary"], "\x00" * 64 + "tail\x00")]
        return multipart(top, parts, "=-nul-" + tag)
    if sub == "huge-header":
        # one 60 KB folded header field and one 5000-character line
        words = " ".join("w%05d" % i for i in range(8500))
        folded = re.sub(r"(.{1,70})( |$)", lambda m: m.group(1) + "\r\n ", words).rstrip()
        hdr = top + ["X-Huge: " + folded, "X-Long: " + "L" * 5000]
        return multipart(hdr, [text_part("huge header"),
                               attachment("invoice.pdf", "application/pdf", pdf)],
                         "=-huge-" + tag)
    if sub == "bad-base64":
        bad = b64lines(pdf)[:600] + "\r\n!!!*** not base64 ***\r\n=A=B==\r\nQUJD\r\n"
        sig = "MIIC####this is not a CMS object####\r\n==="
        parts = [text_part("bad base64"),
                 (['Content-Type: application/pdf; name="invoice.pdf"',
                   'Content-Disposition: attachment; filename="invoice.pdf"',
                   "Content-Transfer-Encoding: base64"], bad),
                 (['Content-Type: application/pkcs7-signature; name="invoice.pdf.p7s"',
                   'Content-Disposition: attachment; filename="invoice.pdf.p7s"',
                   "Content-Transfer-Encoding: base64"], sig)]
        return multipart(top, parts, "=-b64-" + tag)
    if sub == "deep-nesting":
        depth = 80
        lines = top + ["MIME-Version: 1.0"]
        for d in range(depth):
            lines += ['Content-Type: multipart/mixed; boundary="=-d%d"' % d, "", "--=-d%d" % d]
        lines += ["Content-Type: text/plain", "", "the bottom"]
        for d in reversed(range(depth)):
            lines += ["--=-d%d--" % d]
        return ("\r\n".join(lines) + "\r\n").encode()
    if sub in ("cut-signature", "cut-pdf"):
        # a sealed message cut short (no closing boundary) in the middle of the base64 of
        # its last .p7s, or of its PDF, sealed in place: nothing may pass that was cut
        t = rng.choice([t for t in templates if sub == "cut-signature" or
                        any(n.endswith(".pdf") for n in t["names"])])
        raw = set_message_id(t["raw"], mid)
        ctype = b"application/pkcs7-signature" if sub == "cut-signature" else b"application/pdf"
        body = raw.index(b"\r\n\r\n", raw.rindex(b"Content-Type: " + ctype)) + 4
        end = raw.index(b"\r\n--", body)
        return raw[: (body + end) // 2] + b"\r\n"
    raise ValueError(sub)


# ---------------------------------------------------------------------------- sending
class Sender:
    def __init__(self, port, workdir):
        self.port = port
        self.workdir = workdir
        self.lock = threading.Lock()
        self.finished = 0
        self.last_progress = 0.0

    def progress(self, force=False):
        now = time.monotonic()
        if not force and now - self.last_progress < 0.1:
            return
        self.last_progress = now
        tmp = os.path.join(self.workdir, "progress.tmp")
        with open(tmp, "w") as f:
            f.write("%d\n" % self.finished)
        os.replace(tmp, os.path.join(self.workdir, "progress"))

    def send_once(self, src, mail_from, rcpt, data):
        """None when accepted; otherwise (code, text) of the reply (code 0: no reply)."""
        try:
            with smtplib.SMTP("127.0.0.1", self.port, local_hostname="client.test",
                              timeout=SMTP_TIMEOUT, source_address=(src, 0)) as s:
                s.sendmail(mail_from, [rcpt], data)
            return None
        except smtplib.SMTPRecipientsRefused as e:
            code, text = list(e.recipients.values())[0]
            return code, text.decode("utf-8", "replace")
        except smtplib.SMTPResponseException as e:
            text = e.smtp_error
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            return e.smtp_code, text
        except (OSError, smtplib.SMTPException) as e:
            return 0, "%s: %s" % (type(e).__name__, e)

    def deliver(self, job):
        """Send job until accepted, rejected (5xx) or RETRY_FOR seconds of 4xx."""
        start = time.monotonic()
        job["retries"] = 0
        job["replies"] = []
        while True:
            r = self.send_once(job["src"], job["from"], job["rcpt"], job["data"])
            if r is None:
                job["outcome"] = "accepted"
                break
            code, text = r
            if len(job["replies"]) < 5:
                job["replies"].append("%d %s" % (code, text[:200]))
            if 500 <= code < 600:
                job["outcome"] = "rejected"
                break
            if time.monotonic() - start > RETRY_FOR:
                job["outcome"] = "gave-up"
                break
            job["retries"] += 1
            job["retry_conn" if code == 0 else "retry_4xx"] = \
                job.get("retry_conn" if code == 0 else "retry_4xx", 0) + 1
            time.sleep(0.2 + random.random() * 0.3)
        job["seconds"] = round(time.monotonic() - start, 3)
        del job["data"]
        with self.lock:
            self.finished += 1
            self.progress()
        return job


def wait_for(maildir, count, seconds):
    """The files in maildir/new once there are count of them (or after seconds)."""
    end = time.monotonic() + seconds
    while True:
        try:
            files = sorted(os.listdir(os.path.join(maildir, "new")))
        except FileNotFoundError:
            files = []
        if len(files) >= count or time.monotonic() > end:
            return [os.path.join(maildir, "new", f) for f in files]
        time.sleep(0.2)


def cmd_send(args):
    if len(args) != 4:
        return usage()
    port, workdir, count, clients = int(args[0]), args[1], int(args[2]), int(args[3])
    rng = random.Random(20261125)
    sender = Sender(port, workdir)
    sender.progress(force=True)

    # warm-up: sealed messages to use as inbound templates
    warm = []
    for i, kinds in enumerate([3, 3, 2, 3]):
        mid = "<warm-%d@stress.test>" % i
        while True:
            data, names = outbound(mid, rng, "sales@example.com", "warm")
            if len(names) == kinds:
                break
        r = sender.send_once(INSIDE, "sales@example.com", "warm@example.org", data)
        if r is not None:
            print("not ok - warm-up message %d not accepted: %s" % (i, r))
            return 1
        warm.append(names)
    files = wait_for(os.path.join(workdir, "mail", "warm", "Maildir"), len(warm), 60)
    if len(files) != len(warm):
        print("not ok - warm-up: %d of %d messages delivered" % (len(files), len(warm)))
        return 1
    templates = []
    for path in files:
        raw = crlf(strip_headers(mailtool.read(path),
                                 ["Return-Path", "Delivered-To", "X-Original-To"]))
        mid = re.search(rb"(?im)^Message-ID:\s*(<warm-\d+@stress.test>)", raw).group(1)
        names = warm[int(re.search(rb"warm-(\d+)", mid).group(1))]
        if b"ESeal-Outbound" not in raw:
            print("not ok - warm-up message %s was not sealed" % mid.decode())
            return 1
        tampered = []
        for name in names:
            # a byte in the PDF's page content (inside the signed range), else the middle
            off = 200 if name.endswith(".pdf") else None
            tampered.append((name, mailtool.tamper_bytes(raw, name, off)[0]))
        templates.append({"raw": raw, "names": names, "tampered": tampered})
    print("# warm-up: %d sealed messages delivered, used as inbound templates" % len(files))

    weights = [w for _, w in MIX]
    jobs = []
    for i in range(count):
        kind = rng.choices([k for k, _ in MIX], weights)[0]
        mid = "<stress-%05d-%s@stress.test>" % (i, kind)
        job = {"n": i, "kind": kind, "mid": mid, "rcpt": "%s@example.org" % RCPT[kind]}
        if kind == "out":
            job["data"], job["names"] = outbound(mid, rng, "sales@example.com", "out")
            job["src"], job["from"] = INSIDE, "sales@example.com"
        elif kind == "excluded":
            job["data"] = excluded(mid)
            job["src"], job["from"] = INSIDE, "legal@example.com"
        elif kind == "in-sealed":
            t = rng.choice(templates)
            job["data"] = set_message_id(t["raw"], mid)
            job["names"] = t["names"]
            job["src"], job["from"] = OUTSIDE, "partner@example.net"
        elif kind == "in-tampered":
            t = rng.choice(templates)
            name, raw = rng.choice(t["tampered"])
            job["data"] = set_message_id(raw, mid)
            job["names"], job["tampered"] = t["names"], name
            job["src"], job["from"] = OUTSIDE, "partner@example.net"
        else:
            job["sub"] = MALFORMED[i % len(MALFORMED)]
            job["data"] = crlf(malformed(mid, job["sub"], templates, rng))
            job["src"], job["from"] = OUTSIDE, "partner@example.net"
        jobs.append(job)

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        done = list(pool.map(sender.deliver, jobs))
    elapsed = time.monotonic() - start
    sender.progress(force=True)
    with open(os.path.join(workdir, "sent.json"), "w") as f:
        json.dump({"elapsed": elapsed, "clients": clients, "jobs": done}, f)
    outcomes = {}
    for j in done:
        outcomes[j["outcome"]] = outcomes.get(j["outcome"], 0) + 1
    print("# sent %d messages from %d clients in %.1f s: %s; %d retries" % (
        len(done), clients, elapsed, outcomes, sum(j["retries"] for j in done)))
    return 0


# ---------------------------------------------------------------------------- checking
def header_values(msg, name):
    return [re.sub(r"\s+", " ", mailtool.decode_words(str(v))).strip()
            for v in msg.get_all(name) or []]


def leaf_attachments(msg):
    """[(decoded file name, content type, payload bytes)] of the parts with a file name."""
    out = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part.get_filename() or part.get_param("name")
        if isinstance(name, tuple):
            name = email.utils.collapse_rfc2231_value(name)
        if not name:
            continue
        out.append((mailtool.decode_words(str(name)), part.get_content_type(),
                    part.get_payload(decode=True) or b""))
    return out


class Checker:
    def __init__(self, workdir, eseal, trust, crl):
        self.workdir, self.eseal, self.trust, self.crl = workdir, eseal, trust, crl
        self.passed = self.failed = 0
        self.problems = {}
        self.verify_dir = tempfile.mkdtemp(prefix="verify-", dir=workdir)
        self.verify_jobs = []   # (what, argv)
        self.counts = {}

    def count(self, key, n=1):
        self.counts[key] = self.counts.get(key, 0) + n

    def problem(self, what, detail):
        """One not-ok per kind of problem, with the number and the first few examples."""
        p = self.problems.setdefault(what, [])
        p.append(detail)

    def check(self, ok, what, detail=""):
        if not ok:
            self.problem(what, detail)
        return ok

    def save(self, name, data):
        path = os.path.join(self.verify_dir, "%06d-%s" % (len(self.verify_jobs), name))
        with open(path, "wb") as f:
            f.write(data)
        return path

    def outbound_seals(self, job, msg, names, refused=()):
        """Queue the verification of every sealed attachment of an outbound message."""
        atts = leaf_attachments(msg)
        by_name = {}
        for name, ctype, data in atts:
            by_name.setdefault(name, []).append((ctype, data))
        for name in names:
            if name in refused:
                self.check(name + ".p7s" not in by_name, "an excluded attachment was sealed",
                           "%s %s" % (job["mid"], name))
                self.count("excluded attachments not sealed", 0 if name + ".p7s" in by_name
                           else 1)
                continue
            if not self.check(len(by_name.get(name, [])) == 1, "an attachment is missing",
                              "%s %s" % (job["mid"], name)):
                continue
            data = by_name[name][0][1]
            tag = "%s %s" % (job["mid"], name)
            if name.endswith(".pdf"):
                path = self.save("x.pdf", data)
                self.verify_jobs.append((tag, [self.eseal, "verify", "--trust", self.trust,
                                               "--crl", self.crl, path]))
            else:
                sig = by_name.get(name + ".p7s")
                if not self.check(sig is not None and sig[0][0] ==
                                  "application/pkcs7-signature",
                                  "no application/pkcs7-signature .p7s beside an attachment",
                                  tag):
                    continue
                doc = self.save("x.doc", data)
                p7s = self.save("x.p7s", sig[0][1])
                self.verify_jobs.append((tag, ["openssl", "cms", "-verify", "-binary",
                                               "-inform", "DER", "-in", p7s, "-content", doc,
                                               "-CAfile", self.trust, "-purpose", "any",
                                               "-out", "/dev/null"]))

    def run_verifications(self):
        def run(item):
            tag, argv = item
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            return tag, argv[0], p.returncode, p.stdout.decode("utf-8", "replace")
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            for tag, tool, rc, out in pool.map(run, self.verify_jobs):
                tool = "eseal verify" if tool == self.eseal else "openssl cms -verify"
                if self.check(rc == 0, "a seal does not verify (%s)" % tool,
                              "%s: %s" % (tag, " ".join(out.split())[:200])):
                    self.count("seals verified (%s)" % tool)

    def verdict(self, job, msg):
        v = header_values(msg, "ESeal-Verification")
        if not self.check(len(v) == 1, "not exactly one ESeal-Verification header",
                          "%s (%s): %s" % (job["mid"], job.get("sub", job["kind"]), v)):
            return None
        m = re.search(r"; result=([a-z]+)", v[0])
        result = m.group(1) if m else "?"
        self.count("verdict %s: result=%s" % (job["kind"], result))
        if job["kind"] == "malformed":
            self.count("malformed %s: result=%s" % (job["sub"], result))
        for h in ("ESeal-Outbound",):
            self.check(not header_values(msg, h), "an outbound ESeal header survived inbound",
                       job["mid"])
        return result

    def message(self, job, msg):
        kind = job["kind"]
        if kind == "out":
            out = header_values(msg, "ESeal-Outbound")
            want = "sealed=%d; refused=0;" % len(job["names"])
            self.check(len(out) == 1 and want in out[0], "ESeal-Outbound is not " + want,
                       "%s: %s" % (job["mid"], out))
            self.outbound_seals(job, msg, job["names"])
        elif kind == "excluded":
            tag = job["mid"].strip("<>").split("@")[0]
            divorce, contract = "离婚协议书-%s.txt" % tag, "合同-%s.txt" % tag
            out = header_values(msg, "ESeal-Outbound")
            self.check(len(out) == 1 and "sealed=1; refused=1;" in out[0],
                       "excluded: ESeal-Outbound is not sealed=1; refused=1",
                       "%s: %s" % (job["mid"], out))
            att = [a for a in header_values(msg, "ESeal-Attachment")
                   if 'name="%s"' % divorce in a]
            self.check(len(att) == 1 and "action=refused" in att[0] and
                       "category=personal-relationship" in att[0],
                       "excluded: the divorce agreement's ESeal-Attachment is not "
                       "action=refused; category=personal-relationship",
                       "%s: %s" % (job["mid"], att))
            self.outbound_seals(job, msg, [divorce, contract], refused=[divorce])
        elif kind == "in-sealed":
            r = self.verdict(job, msg)
            self.check(r == "pass", "inbound sealed: result is not pass",
                       "%s: %s" % (job["mid"], header_values(msg, "ESeal-Verification")))
        elif kind == "in-tampered":
            r = self.verdict(job, msg)
            self.check(r == "fail", "inbound tampered: result is not fail",
                       "%s (%s): %s" % (job["mid"], job["tampered"],
                                        header_values(msg, "ESeal-Verification")))
            att = [a for a in header_values(msg, "ESeal-Attachment")
                   if 'name="%s"' % job["tampered"] in a]
            self.check(len(att) == 1 and "result=fail" in att[0],
                       "inbound tampered: the changed attachment is not result=fail",
                       "%s: %s" % (job["mid"], att))
        elif job["sub"] == "cut-pdf":
            # the PDF lost its seal with its end: unsealed, or not pass; the rest may pass
            self.verdict(job, msg)
            att = [a for a in header_values(msg, "ESeal-Attachment") if '.pdf"' in a]
            self.check(not any("result=pass" in a for a in att),
                       "malformed: a PDF cut short has result=pass",
                       "%s: %s" % (job["mid"], att))
        else:
            r = self.verdict(job, msg)
            self.check(r is not None and r != "pass", "malformed: result=pass",
                       "%s (%s)" % (job["mid"], job["sub"]))

    def ok(self, what):
        self.passed += 1
        print("ok - " + what)

    def not_ok(self, what):
        self.failed += 1
        print("not ok - " + what)


def cmd_check(args):
    if len(args) != 4:
        return usage()
    c = Checker(*args)
    with open(os.path.join(args[0], "sent.json")) as f:
        sent = json.load(f)
    jobs = {j["mid"]: j for j in sent["jobs"]}
    accepted = {m for m, j in jobs.items() if j["outcome"] == "accepted"}

    delivered = {}   # Message-ID -> [paths]
    stray = []
    mailroot = os.path.join(args[0], "mail")
    for user in sorted(os.listdir(mailroot)):
        if user == "warm":
            continue
        for sub in ("new", "cur"):
            d = os.path.join(mailroot, user, "Maildir", sub)
            for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                path = os.path.join(d, f)
                m = re.search(rb"(?im)^Message-ID:[ \t]*(<[^>\r\n]*>)", mailtool.read(path))
                mid = m.group(1).decode("ascii", "replace") if m else "(none)"
                if mid in jobs:
                    delivered.setdefault(mid, []).append(path)
                else:
                    stray.append("%s: %s" % (path, mid))

    n_sent = len(jobs)
    n_files = sum(len(v) for v in delivered.values())
    dups = {m: v for m, v in delivered.items() if len(v) > 1}
    missing = sorted(accepted - set(delivered))
    unaccepted = sorted(set(delivered) - accepted)
    by_outcome = {}
    for j in jobs.values():
        by_outcome[j["outcome"]] = by_outcome.get(j["outcome"], 0) + 1
    not_accepted = [j for j in jobs.values() if j["outcome"] != "accepted"]
    if not not_accepted:
        c.ok("all %d messages accepted by Postfix (after retries)" % n_sent)
    else:
        c.not_ok("%d messages not accepted: %s" % (len(not_accepted), "; ".join(
            "%s %s %s" % (j["mid"], j["outcome"], j["replies"][-1:]) for j in not_accepted[:5])))
    if not dups:
        c.ok("no message delivered twice")
    else:
        c.not_ok("%d messages delivered more than once: %s" % (len(dups), list(dups)[:5]))
    if not missing:
        c.ok("every accepted message delivered (%d)" % len(accepted))
    else:
        c.not_ok("%d accepted messages missing: %s" % (len(missing), missing[:5]))
    if not unaccepted and not stray:
        c.ok("nothing delivered that was not accepted")
    else:
        c.not_ok("delivered but not accepted: %s %s" % (unaccepted[:5], stray[:5]))

    for mid in sorted(delivered):
        with open(delivered[mid][0], "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.compat32)
        c.message(jobs[mid], msg)
    t0 = time.monotonic()
    c.run_verifications()
    verify_s = time.monotonic() - t0
    checks = [("every outbound attachment sealed and its seal verifies", "seal"),
              ("no excluded attachment sealed", "excluded attachment"),
              ("every inbound verdict right", "inbound"),
              ("ESeal-Verification present on every inbound message", "ESeal-Verification"),
              ("malformed: never result=pass (a PDF cut short: never pass itself)",
               "malformed"),
              ("excluded: ESeal-Outbound and ESeal-Attachment say refused", "excluded:"),
              ("outbound: ESeal-Outbound counts every attachment sealed", "ESeal-Outbound is"),
              ("no outbound ESeal header survives inbound", "survived")]
    reported = set()
    for what, key in checks:
        bad = [p for p in c.problems if key in p and p not in reported]
        if not bad:
            c.ok(what)
        for p in bad:
            reported.add(p)
            c.not_ok("%s: %d times, e.g. %s" % (p, len(c.problems[p]),
                                                 " | ".join(c.problems[p][:3])))
    for p in c.problems:
        if p not in reported:
            c.not_ok("%s: %d times, e.g. %s" % (p, len(c.problems[p]),
                                                 " | ".join(c.problems[p][:3])))

    kinds = {}
    for j in jobs.values():
        kinds[j["kind"]] = kinds.get(j["kind"], 0) + 1
    retries = sum(j["retries"] for j in jobs.values())
    r4 = sum(j.get("retry_4xx", 0) for j in jobs.values())
    rc = sum(j.get("retry_conn", 0) for j in jobs.values())
    elapsed = sent["elapsed"]
    print("# ---- counts")
    print("# sent:        %d messages from %d clients (%s)" % (
        n_sent, sent["clients"], ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))
    print("# outcomes:    %s" % by_outcome)
    print("# retries:     %d (4xx replies %d, connection refused/dropped %d) by %d messages" %
          (retries, r4, rc, sum(1 for j in jobs.values() if j["retries"])))
    print("# delivered:   %d files, %d distinct Message-IDs; duplicates %d; missing %d" % (
        n_files, len(delivered), len(dups), len(missing)))
    for k in sorted(c.counts):
        print("# %-44s %d" % (k + ":", c.counts[k]))
    print("# seals checked: %d in %.1f s" % (len(c.verify_jobs), verify_s))
    print("# sending:     %.1f s, %.1f messages/s" % (elapsed, n_sent / elapsed))
    with open(os.path.join(args[0], "check.json"), "w") as f:
        json.dump({"passed": c.passed, "failed": c.failed}, f)
    return 0 if c.failed == 0 else 1


def usage():
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    cmds = {"send": cmd_send, "check": cmd_check}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(usage())
    sys.exit(cmds[sys.argv[1]](sys.argv[2:]))
