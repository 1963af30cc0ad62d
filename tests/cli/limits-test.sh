#!/usr/bin/env bash
# limits-test.sh ESEAL PKI [SRCDIR] - hostile messages through `eseal check-message`, the
# milter's pipeline, in both directions (eseal-milter(8), LIMITS): deep nesting, thousands of
# parts and headers, a huge header, a huge line, base64 garbage, NUL bytes, bombs that
# decode to 100 MB.  Each run must end by itself (no signal, no timeout, no sanitizer report)
# within TIME_MAX seconds and RSS_MAX KiB of peak memory (children included), with the
# expected reason or verdict.  With SRCDIR the bombs run again with the shipped policies, so
# that text extraction reads them.
# Exit 0 all passed, 1 a check failed, 77 no /usr/bin/time.
set -u
eseal=$1 pki=$2 src=${3:-}
RSS_MAX=300000 # KiB
TIME_MAX=20    # seconds
[ -x /usr/bin/time ] || { echo "skip: /usr/bin/time (GNU time) not installed"; exit 77; }
if grep -qa __asan_init "$eseal"; then # AddressSanitizer: shadow memory, quarantine, slower
    RSS_MAX=$((RSS_MAX * 4)) TIME_MAX=$((TIME_MAX * 3))
fi
sanitizer_words='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:'
work=$(mktemp -d /tmp/eseal-limits.XXXXXX)
trap 'rm -rf "$work"' EXIT
# shellcheck source=lib-cli.sh
. "$(dirname "$0")/lib-cli.sh"
cli_conf "$work/eseal.conf" "$pki"

mkdir "$work/m"
python3 - "$work/m" <<'PY'
import base64, io, os, struct, sys, zipfile, zlib
out = sys.argv[1]
H = b"From: a@example.com\r\nTo: b@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
def write(name, data):
    open(os.path.join(out, name + ".eml"), "wb").write(data)
def b64(data):
    e = base64.b64encode(data)
    return b"\r\n".join(e[i:i + 76] for i in range(0, len(e), 76))
def attachment(name, ctype, content):
    return (H + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
            b"Content-Type: text/plain\r\n\r\nsee the attachment\r\n--b\r\n"
            b"Content-Type: " + ctype + b'\r\nContent-Disposition: attachment; filename="' +
            name + b'"\r\nContent-Transfer-Encoding: base64\r\n\r\n' + content + b"\r\n--b--\r\n")
def nested_multiparts(n):
    p = [H, b'Content-Type: multipart/mixed; boundary="b0"\r\n\r\n']
    p += [b'--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (i - 1, i)
          for i in range(1, n)]
    p.append(b"--b%d\r\nContent-Type: text/plain\r\n\r\nhi\r\n" % (n - 1))
    p += [b"--b%d--\r\n" % i for i in reversed(range(n))]
    return b"".join(p)
def nested_messages(n):
    return (H + b"Content-Type: message/rfc822\r\n\r\n" +
            b"Content-Type: message/rfc822\r\n\r\n" * n + b"Content-Type: text/plain\r\n\r\nhi\r\n")
def parts(n):
    p = [H, b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n']
    p += [b'--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; '
          b'filename="f%d.bin"\r\n\r\nx\r\n' % i for i in range(n)]
    return b"".join(p) + b"--b--\r\n"
def fields(n):
    return b"".join(b"X-Field-%d: v\r\n" % i for i in range(n))
def zip_bomb():
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as f:
        f.writestr("[Content_Types].xml", b"<Types/>")
        f.writestr("word/document.xml",
                   b"<w:document><w:t>" + b"a" * (100 << 20) + b"</w:t></w:document>")
    return z.getvalue()
def pdf(objects, root=1):
    data, offsets = b"%PDF-1.7\n", []
    for i, o in enumerate(objects):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return data + b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref)
def pdf_content_bomb():  # a page whose content stream inflates to 100 MB
    content = zlib.compress(b"0 0 m\n" * ((100 << 20) // 6), 9)
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content +
                b"\nendstream"])
def pdf_objstm_bomb():  # the catalog in an object stream that inflates to 100 MB
    head = b"1 0"
    stream = zlib.compress(head + b" " * (100 << 20) + b"<< /Type /Catalog /Pages 3 0 R >>", 9)
    objects = {2: b"<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
                  % (len(head) + (100 << 20), len(stream)) + stream + b"\nendstream",
               3: b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               4: b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] >>"}
    data, offsets = b"%PDF-1.7\n", {}
    for n in sorted(objects):
        offsets[n] = len(data)
        data += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    xref = len(data)
    rows = [(0, 0, 65535), (2, 2, 0), (1, offsets[2], 0), (1, offsets[3], 0), (1, offsets[4], 0),
            (1, xref, 0)]
    raw = b"".join(struct.pack(">BIH", *r) for r in rows)
    return data + (b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\n"
                   b"stream\n" % len(raw) + raw + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
                   % xref)

write("nest-10000", nested_multiparts(10000))
write("nest-150", nested_multiparts(150))
write("nest-messages-150", nested_messages(150))
write("nest-messages-100000", nested_messages(100000))
write("parts-5000", parts(5000))
write("parts-1500", parts(1500))
write("headers-10000", H + fields(10000) + b"\r\nbody\r\n")
write("part-headers-20000", H + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n' +
      fields(20000) + b"\r\nbody\r\n--b--\r\n")
write("message-headers-20000", H + b"Content-Type: message/rfc822\r\n\r\n" + fields(20000) +
      b"\r\nbody\r\n")
write("digest-headers-20000", H + b'Content-Type: multipart/digest; boundary="b"\r\n\r\n--b\r\n\r\n'
      + fields(20000) + b"\r\nbody\r\n--b--\r\n")
write("header-1M", H + b"X-Big: " + b"a" * (1 << 20) + b"\r\n\r\nbody\r\n")
write("header-folded-10M", H + b"X-Big: " + b"a b\r\n " * ((10 << 20) // 6) + b"z\r\n\r\nbody\r\n")
write("headers-2M", H + b"".join(b"X-Big-%d: " % i + b"a" * 90000 + b"\r\n" for i in range(22)) +
      b"\r\nbody\r\n")
write("line-10M", H + b"Content-Type: text/plain\r\n\r\n" + b"a" * (10 << 20) + b"\r\n")
write("base64-garbage", attachment(b"g.bin", b"application/octet-stream",
                                   b"QUJD!@#$%^&*()\r\n" * 100000 + b"QUJD"))
write("base64-after-padding", attachment(b"p.bin", b"application/octet-stream",
                                         b"QUI=\r\nQUJD"))
write("base64-body-footer", H + b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64"
      b"\r\n\r\n" + b64(b"hello\n" * 100) + b"\r\n___\r\nList footer: unsubscribe here\r\n")
write("nul-header", H + b"X-Nul: a\0b\r\n\r\nbody\r\n")
write("nul-part-header", H + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
      b"Content-Type: text/plain\r\nX-P: \0\0\r\n\r\nhi\r\n--b--\r\n")
write("nul-body", H + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
      b"Content-Type: text/plain\r\n\r\n\0\0\0 text \0\r\n" + b"\0" * 100000 + b"\r\n--b\r\n"
      b'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="n.bin"'
      b"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(b"\0" * 100000) + b"\r\n--b--\r\n")
write("zip-bomb", attachment(b"bomb.docx", b"application/vnd.openxmlformats-officedocument."
                             b"wordprocessingml.document", b64(zip_bomb())))
write("pdf-content-bomb", attachment(b"content.pdf", b"application/pdf", b64(pdf_content_bomb())))
write("pdf-objstm-bomb", attachment(b"objstm.pdf", b"application/pdf", b64(pdf_objstm_bomb())))
PY
[ -f "$work/m/pdf-objstm-bomb.eml" ] || { not_ok "cannot make the messages"; exit 1; }

# holds TEXT - whether the output (folds undone) holds TEXT.
holds() { tr -d '\n\t' < "$work/out" | grep -qF -- "$1"; }

# run NAME DIR CONF TEXT [TEXT2 [OTHER]]: check-message on m/NAME.eml; the output must hold
# TEXT, and TEXT2 when given, or else OTHER when given.
run() {
    local name=$1 dir=$2 conf=$3 pattern=$4 pattern2=${5:-} other=${6:-} rc rss secs
    /usr/bin/time -f "%M %e" -o "$work/time" timeout 60 "$eseal" check-message -c "$conf" \
        "$dir" --sender a@example.com "$work/m/$name.eml" > "$work/out" 2>&1
    rc=$?
    read -r rss secs < <(tail -n 1 "$work/time")
    if [ "$rc" -gt 1 ]; then
        not_ok "$name $dir: exit $rc: $(head -c 300 "$work/out")"
    elif grep -qE "$sanitizer_words" "$work/out"; then
        not_ok "$name $dir: $(grep -m1 -E "$sanitizer_words" "$work/out")"
    elif ! { holds "$pattern" && holds "$pattern2"; } && ! { [ -n "$other" ] && holds "$other"; }; then
        not_ok "$name $dir: expected '$pattern', got: $(head -c 300 "$work/out")"
    elif [ "${rss:-999999999}" -gt "$RSS_MAX" ]; then
        not_ok "$name $dir: peak RSS ${rss} KiB over $RSS_MAX KiB"
    elif ! awk -v s="${secs:-999}" -v m="$TIME_MAX" 'BEGIN { exit !(s <= m) }'; then
        not_ok "$name $dir: ${secs} s, over $TIME_MAX s"
    else
        ok "$name $dir: ${rss} KiB, ${secs} s: $pattern"
    fi
}

# limited NAME REASON: past a limit in both directions: not processed, with the reason.
limited() {
    run "$1" --inbound "$work/eseal.conf" "$2" "; the milter would pass it on unprocessed"
    run "$1" --outbound "$work/eseal.conf" "$2" "; the milter would pass it on unprocessed"
}

limited nest-10000 "more than 4000 MIME boundary lines; not parsed"
limited nest-150 "MIME parts nested more than 100 deep"
limited nest-messages-150 "MIME parts nested more than 100 deep"
limited nest-messages-100000 "more than 10000 header fields (line 19997)"
limited parts-5000 "more than 4000 MIME boundary lines; not parsed"
limited parts-1500 "more than 1000 MIME parts"
limited headers-10000 "more than 10000 header fields (line 10001)"
limited part-headers-20000 "more than 10000 header fields"
limited message-headers-20000 "more than 10000 header fields"
limited digest-headers-20000 "more than 10000 header fields"
limited header-1M "header field longer than 102400 bytes (line 5)"
limited header-folded-10M "header field longer than 102400 bytes"
limited headers-2M "headers longer than 1048576 bytes in all"
limited line-10M "line 7 longer than 1048576 bytes"
limited base64-garbage '"g.bin": not valid base64 (byte 0x21 at offset 4 of its content)'
limited base64-after-padding '"p.bin": not valid base64 (byte 0x51 at offset 6 of its content)'
limited nul-header "NUL byte in a header (offset 79)"
limited nul-part-header "NUL byte in a header"

# Within the limits: handled, with a verdict.
run base64-body-footer --inbound "$work/eseal.conf" "inbound result=none sealed=0 failed=0 unsealed=0"
run base64-body-footer --outbound "$work/eseal.conf" "reason=no attachments"
run nul-body --inbound "$work/eseal.conf" "inbound result=none sealed=0 failed=0 unsealed=1"
run nul-body --outbound "$work/eseal.conf" "outbound sealed=1 refused=0 attachments=1"
for bomb in zip-bomb pdf-content-bomb pdf-objstm-bomb; do
    run $bomb --inbound "$work/eseal.conf" "inbound result=none sealed=0 failed=0 unsealed=1"
    run $bomb --outbound "$work/eseal.conf" "outbound sealed=1 refused=0 attachments=1"
done

# The bombs through text extraction, with the shipped policies: read within its caps; a PDF
# that poppler cannot read in its time is refused outbound (refused=1, with the reason).
if [ -n "$src" ]; then
    sed "s|^authserv_id = mx.test|&\npolicy_files = {$src/policy/article3.policy, $src/policy/contracts.policy}|" \
        "$work/eseal.conf" > "$work/policy.conf"
    chmod 600 "$work/policy.conf"
    run zip-bomb --outbound "$work/policy.conf" 'action=sealed; format=cades;note="text capped: '
    run zip-bomb --inbound "$work/policy.conf" "inbound result=none sealed=0 failed=0 unsealed=1"
    for bomb in pdf-content-bomb pdf-objstm-bomb; do
        run $bomb --outbound "$work/policy.conf" "sealed=1 refused=0 attachments=1" \
            "; action=sealed; format=pades" \
            'action=refused;reason="the document could not be read whole in time; not sealed"'
        run $bomb --inbound "$work/policy.conf" "inbound result=none sealed=0 failed=0 unsealed=1"
    done
fi

echo "limits: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
