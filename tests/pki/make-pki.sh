#!/usr/bin/env bash
# make-pki.sh OUTDIR -- build a throwaway test PKI for the eseal test suite.
#
# Everything is generated at test time with the openssl CLI (no network, no
# checked-in keys).  Layout produced in OUTDIR:
#
#   root-ca.{key,pem,crl}        self-signed RSA-3072 trust anchor
#   inter-ca.{key,pem,crl}       RSA-3072 "Seal CA", pathlen:0, issues all seals
#   other-root-ca.{key,pem}      unrelated P-256 root, NOT in trust.pem
#   trust.pem                    trust anchor bundle (root-ca.pem only)
#   NAME.{key,pem} NAME-chain.pem for NAME in
#       seal-rsa seal-rsa2048 seal-ec seal-ec384 expired revoked untrusted weak-rsa1024 bad-ku
#   short-lived.{key,pem} short-lived-chain.pem
#                                P-256 seal valid 1 day ago .. +30 days, for
#                                faketime tests past its expiry
#   seal-aia.{key,pem} seal-aia-chain.pem
#                                P-256 seal whose AIA names the OCSP responder
#                                at http://127.0.0.1:39217/ (lib-responders.sh)
#   ocsp-signer.{key,pem} ocsp-signer-chain.pem
#                                delegated OCSP signer for inter-ca (noCheck)
#   crl/                         copies of inter-ca.crl and root-ca.crl
#   tsa-root-ca.{key,pem}        separate P-256 timestamping root
#   tsa-trust.pem                TSA trust anchor bundle (tsa-root-ca.pem only)
#   tsa.{key,pem} tsa-chain.pem  RSA-2048 TSA, EKU critical timeStamping,
#                                valid 1 day ago .. +10 years
#   tsa.cnf                      `openssl ts -reply -config` file (tsa-server.py)
#   seal.pass, seal-rsa-enc.key  AES-256-CBC PKCS#8 copy of seal-rsa.key
#   p12.pass, seal-rsa.p12       PKCS#12 (OpenSSL 3 defaults: AES-256/PBKDF2)
#   seal-rsa-world.key           seal-rsa.key with mode 0644 (must be refused)
#   not-a-key.pem                a certificate, for "not a key" error paths
#   work/                        openssl ca configs, databases, logs,
#                                tsa-serial (rewritten by openssl ts -reply)
#
# Idempotent: if OUTDIR/.done is newer than this script nothing is done.
# Silent on success apart from the final "pki: OUTDIR ready" line.
set -euo pipefail

# Private keys must come out 0600; simplest is to make everything 0600/0700.
umask 077

die() { echo "make-pki: $*" >&2; exit 1; }

[ $# -eq 1 ] && [ -n "$1" ] || die "usage: $0 OUTDIR"
command -v openssl >/dev/null 2>&1 || die "openssl not found in PATH"

script=${BASH_SOURCE[0]}
mkdir -p -- "$1" || die "cannot create $1"
out=$(cd -- "$1" && pwd -P)
[ "$out" != / ] || die "refusing to use / as OUTDIR"
work=$out/work

# Several test programs may call us concurrently (make -j check): serialise on
# a lock held on the directory itself, then re-check .done under the lock.
if command -v flock >/dev/null 2>&1; then
    exec 9<"$out"
    flock 9
fi

if [ -f "$out/.done" ] && [ "$out/.done" -nt "$script" ]; then
    echo "pki: $1 ready"
    exit 0
fi

# Only wipe a directory that is empty or that we created earlier (marker), so a
# typo in OUTDIR cannot delete somebody's files.
if [ -n "$(ls -A "$out")" ] && [ ! -e "$out/.eseal-pki" ]; then
    die "$out is not empty and was not created by make-pki.sh; refusing to wipe it"
fi
find "$out" -mindepth 1 -delete
: >"$out/.eseal-pki"
mkdir -p "$work/log" "$out/crl"
cd "$out"

# Run a command quietly; on failure show its output and stop.
run() {
    local log=$work/log/last.log
    if ! "$@" >"$log" 2>&1; then
        echo "make-pki: command failed: $*" >&2
        cat "$log" >&2
        exit 1
    fi
}

# openssl ca wants explicit dates in YYYYMMDDHHMMSSZ form (GNU date).
ago1d=$(date -u -d '1 day ago' +%Y%m%d%H%M%SZ) || die "need GNU date"

# ---------------------------------------------------------------- keys
# RSA-3072 keygen dominates the run time, so all keys are generated in
# parallel up front and collected before the first signature.
declare -A keypid=()

genkey_bg() { # NAME KIND
    local name=$1 kind=$2 opts
    case $kind in
        rsa3072) opts=(-algorithm RSA -pkeyopt rsa_keygen_bits:3072) ;;
        rsa2048) opts=(-algorithm RSA -pkeyopt rsa_keygen_bits:2048) ;;
        rsa1024) opts=(-algorithm RSA -pkeyopt rsa_keygen_bits:1024) ;;
        p256)    opts=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256) ;;
        p384)    opts=(-algorithm EC -pkeyopt ec_paramgen_curve:P-384) ;;
        *)       die "unknown key kind $kind" ;;
    esac
    # genpkey writes unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY").
    openssl genpkey "${opts[@]}" -out "$name.key" >"$work/log/$name.key.log" 2>&1 &
    keypid[$name]=$!
}

wait_keys() {
    local name
    for name in "${!keypid[@]}"; do
        if ! wait "${keypid[$name]}"; then
            echo "make-pki: key generation failed for $name" >&2
            cat "$work/log/$name.key.log" >&2
            exit 1
        fi
    done
    keypid=()
}

genkey_bg root-ca       rsa3072
genkey_bg inter-ca      rsa3072
genkey_bg seal-rsa      rsa3072
genkey_bg seal-rsa2048  rsa2048 # the benchmarks' seal (as a DKIM key)
genkey_bg other-root-ca p256
genkey_bg seal-ec       p256
genkey_bg seal-ec384    p384
genkey_bg expired       p256
genkey_bg revoked       p256
genkey_bg untrusted     p256
genkey_bg weak-rsa1024  rsa1024
genkey_bg bad-ku        p256
genkey_bg short-lived   p256
genkey_bg seal-aia      p256
genkey_bg ocsp-signer   p256
genkey_bg tsa-root-ca   p256
genkey_bg tsa           rsa2048 # RSA like most real TSAs; its root is EC
wait_keys

# ---------------------------------------------------------------- CA setup
# One minimal `openssl ca` config per CA (work/CA/ca.cnf).  The same file is
# also used as the `openssl req` config so the user's openssl.cnf never
# matters.  All extension profiles live in every config.
make_ca_conf() { # CA
    local ca=$1 d=$work/$1
    mkdir -p "$d/newcerts"
    : >"$d/index.txt"
    # unique_subject=no: tests may regenerate leaves with equal subjects.
    echo 'unique_subject = no' >"$d/index.txt.attr"
    echo 1000 >"$d/serial"
    echo 01 >"$d/crlnumber"
    cat >"$d/ca.cnf" <<EOF
[ ca ]
default_ca = this_ca

[ this_ca ]
dir              = $d
database         = \$dir/index.txt
new_certs_dir    = \$dir/newcerts
serial           = \$dir/serial
crlnumber        = \$dir/crlnumber
certificate      = $out/$ca.pem
private_key      = $out/$ca.key
default_md       = sha256
default_crl_days = 30
policy           = policy_any
email_in_dn      = no
copy_extensions  = none
unique_subject   = no
crl_extensions   = crl_ext

# Order here is the DN order in issued certificates (C, O, CN).
[ policy_any ]
countryName      = optional
organizationName = optional
commonName       = supplied

[ req ]
distinguished_name = req_dn
prompt             = no
string_mask        = utf8only
utf8               = yes
[ req_dn ]
CN = placeholder

[ crl_ext ]
authorityKeyIdentifier = keyid:always

[ ext_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ ext_inter ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ ext_seal ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
extendedKeyUsage       = emailProtection
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# ext_seal plus the OCSP responder the tests start on a fixed port (the URL
# is in the certificate, so the port cannot be chosen at run time).
[ ext_seal_aia ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
extendedKeyUsage       = emailProtection
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
authorityInfoAccess    = OCSP;URI:http://127.0.0.1:39217/

# RFC 3161 2.3: a TSA's only extendedKeyUsage is timeStamping and it MUST be
# critical (openssl ts -reply refuses a signer without it).
[ ext_tsa ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
extendedKeyUsage       = critical, timeStamping
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# Delegated OCSP responder (RFC 6960 4.2.2.2).  id-pkix-ocsp-nocheck (a NULL)
# tells relying parties not to check the responder's own status.
[ ext_ocsp ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = OCSPSigning
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
1.3.6.1.5.5.7.48.1.5   = ASN1:NULL

# Signature-less profile: an EC key can only do key agreement, and there is
# deliberately no EKU, so a signer must reject it on keyUsage alone.
[ ext_badku ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, keyAgreement
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF
}

# CSR for NAME.key with the given -subj string (CA's config for [req]).
make_csr() { # CA NAME SUBJ
    run openssl req -new -config "$work/$1/ca.cnf" -key "$2.key" \
        -subj "$3" -out "$work/$2.csr"
}

# Issue NAME.pem from work/NAME.csr.  Extra args go to `openssl ca`
# (dates, -selfsign).  -notext keeps the PEM file clean.
ca_issue() { # CA NAME EXT [openssl-ca-args...]
    local ca=$1 name=$2 ext=$3
    shift 3
    run openssl ca -batch -notext -config "$work/$ca/ca.cnf" \
        -extensions "$ext" -in "$work/$name.csr" -out "$name.pem" "$@"
}

# Self-signed root: `openssl ca -selfsign` (OpenSSL 3.0's req -x509 cannot
# backdate notBefore).
make_root() { # NAME SUBJ DAYS
    make_ca_conf "$1"
    make_csr "$1" "$1" "$2"
    ca_issue "$1" "$1" ext_root -selfsign -keyfile "$1.key" \
        -startdate "$ago1d" -days "$3"
}

make_subca() { # ISSUER NAME SUBJ DAYS
    make_ca_conf "$2"
    make_csr "$1" "$2" "$3"
    ca_issue "$1" "$2" ext_inter -startdate "$ago1d" -days "$4"
}

# End-entity seal.  Default validity: 1 day ago .. 2 years; pass explicit
# -startdate/-enddate (or other `openssl ca` args) after EXT to override.
# NAME-chain.pem = leaf + issuing CA certificate.
make_leaf() { # ISSUER NAME SUBJ EXT [openssl-ca-args...]
    local ca=$1 name=$2 subj=$3 ext=$4
    shift 4
    [ $# -gt 0 ] || set -- -startdate "$ago1d" -days 730
    make_csr "$ca" "$name" "$subj"
    ca_issue "$ca" "$name" "$ext" "$@"
    cat "$name.pem" "$ca.pem" >"$name-chain.pem"
}

make_crl() { # CA
    run openssl ca -batch -config "$work/$1/ca.cnf" -gencrl -crldays 30 \
        -out "$1.crl"
    cp "$1.crl" crl/
}

# ---------------------------------------------------------------- CAs
make_root  root-ca           "/C=CN/O=eseal Test/CN=eseal Test Root CA"   3652
make_subca root-ca inter-ca  "/C=CN/O=eseal Test/CN=eseal Test Seal CA"   1826
make_root  other-root-ca     "/C=CN/O=Outsider Ltd./CN=Other Root CA"      3652
cp root-ca.pem trust.pem

# ---------------------------------------------------------------- seals
I=inter-ca
make_leaf $I seal-rsa     "/C=CN/O=Example Co./CN=Example Co. Seal"       ext_seal
make_leaf $I seal-rsa2048 "/C=CN/O=Example Co./CN=Example Co. Seal 2048"  ext_seal
make_leaf $I seal-ec      "/C=CN/O=Example Co./CN=Example Co. EC Seal"    ext_seal
make_leaf $I seal-ec384   "/C=CN/O=Example Co./CN=Example Co. P-384 Seal" ext_seal
# Expired before the intermediate was even issued; verifiers still report
# "certificate has expired" at depth 0.
make_leaf $I expired      "/C=CN/O=Example Co./CN=Expired Seal"           ext_seal \
    -startdate 20200101000000Z -enddate 20210101000000Z
make_leaf $I revoked      "/C=CN/O=Example Co./CN=Revoked Seal"           ext_seal
# RSA-1024 needs no special options with the OpenSSL 3.0 CLI: the CA's key
# does the signing here, and `openssl cms -sign -signer weak-rsa1024.pem
# -inkey weak-rsa1024.key ...` and `openssl verify` apply no security level by
# default (only TLS does).  `openssl verify -auth_level 2` rejects it with
# "EE certificate key too weak"; eseal has to enforce its own minimum.
make_leaf $I weak-rsa1024 "/C=CN/O=Example Co./CN=Weak Seal"              ext_seal
make_leaf $I bad-ku       "/C=CN/O=Example Co./CN=Encryption Only"        ext_badku
make_leaf other-root-ca untrusted "/C=CN/O=Outsider Ltd./CN=Outsider Seal" ext_seal

# ---------------------------------------------------------------- CRLs
run openssl ca -batch -config "$work/$I/ca.cnf" -revoke revoked.pem \
    -crl_reason keyCompromise
make_crl inter-ca
make_crl root-ca

# ---------------------------------------------------------------- variants
# Passphrase files: exactly one line, newline-terminated (openssl file: reads
# the first line).
printf 'correct horse battery staple\n' >seal.pass
printf 'p12-secret\n' >p12.pass

run openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 \
    -in seal-rsa.key -passout file:seal.pass -out seal-rsa-enc.key

# OpenSSL 3 pkcs12 defaults are already modern (AES-256-CBC, PBKDF2,
# SHA-256 MAC); no -legacy.
cat inter-ca.pem root-ca.pem >"$work/seal-rsa-cas.pem"
run openssl pkcs12 -export -inkey seal-rsa.key -in seal-rsa.pem \
    -certfile "$work/seal-rsa-cas.pem" -name "Example Co. Seal" \
    -passout file:p12.pass -out seal-rsa.p12

# ---------------------------------------------------------------- OCSP, TSA
# Issued after everything above so the older certificates keep their serial
# numbers.  inter-ca's index.txt (`revoked` marked revoked) is what
# `openssl ocsp -index` answers from.
make_leaf $I short-lived  "/C=CN/O=Example Co./CN=Short-lived Seal"       ext_seal \
    -startdate "$ago1d" -days 30
make_leaf $I seal-aia     "/C=CN/O=Example Co./CN=Example Co. AIA Seal"   ext_seal_aia
make_leaf $I ocsp-signer  "/C=CN/O=eseal Test/CN=eseal Test OCSP Responder" ext_ocsp

# Timestamping has its own root, so a token cannot pass by trusting the seal
# roots, and the TSA outlives every seal: timestamps must still verify after
# the seal certificate expired.
make_root  tsa-root-ca       "/C=CN/O=eseal Test/CN=eseal Test TSA Root"  3652
make_leaf tsa-root-ca tsa "/C=CN/O=eseal Test/CN=eseal Test TSA"          ext_tsa \
    -startdate "$ago1d" -days 3650
cp tsa-root-ca.pem tsa-trust.pem

# openssl ts -reply rewrites the serial file on every reply (tsa-server.py
# serialises the calls).  ESSCertIDv2 with SHA-256 (RFC 5816), signer only.
echo 01 >"$work/tsa-serial"
cat >tsa.cnf <<EOF
[ tsa ]
default_tsa = tsa_config1

[ tsa_config1 ]
serial                 = $work/tsa-serial
crypto_device          = builtin
signer_cert            = $out/tsa.pem
certs                  = $out/tsa-chain.pem
signer_key             = $out/tsa.key
signer_digest          = sha256
default_policy         = 1.2.3.4.1
other_policies         = 1.2.3.4.5, 1.2.3.4.6
digests                = sha256, sha384, sha512
accuracy               = secs:1
clock_precision_digits = 0
ordering               = no
tsa_name               = yes
ess_cert_id_chain      = no
ess_cert_id_alg        = sha256
EOF

cp seal-rsa.key seal-rsa-world.key
chmod 0644 seal-rsa-world.key
cp seal-rsa.pem not-a-key.pem

touch .done
echo "pki: $1 ready"
