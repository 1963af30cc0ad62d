# shellcheck shell=bash
# lib-token.sh -- a SoftHSM2 token holding a seal key made on it and certified by the test CA.
# Source it from a test script, then:
#
#   token_make DIR PKI LABEL PIN KEY_TYPE CN
#
# makes in DIR: softhsm2.conf (exported as SOFTHSM2_CONF) and tokens/, a token LABEL with user
# PIN, a key pair KEY_TYPE (pkcs11-tool's --key-type: rsa:3072, EC:prime256v1) labelled "seal"
# generated on the token, its certificate "/C=CN/O=Example Co./CN=CN" issued for 30 days by
# PKI's inter-ca from a request signed on the token (a copy of the CA's database in DIR/ca,
# so that the shared PKI stays as it is), seal-chain.pem, and pin (mode 0600).  Sets
# TOKEN_URI (without the PIN) and TOKEN_MODULE; TOKEN_OBJECTS is what pkcs11-tool lists.
# Status 1, with the reason on stderr, when a step fails.

TOKEN_MODULE=/usr/lib/softhsm/libsofthsm2.so

# token_missing: why tokens cannot be made here ("" when they can).
token_missing() {
    local tool engine
    for tool in softhsm2-util pkcs11-tool; do
        command -v "$tool" >/dev/null || { echo "$tool not installed"; return; }
    done
    [ -f "$TOKEN_MODULE" ] || { echo "$TOKEN_MODULE missing (softhsm2)"; return; }
    engine=$(openssl version -e | sed 's/.*"\(.*\)"/\1/')/pkcs11.so
    [ -f "$engine" ] || echo "$engine missing (libengine-pkcs11-openssl)"
}

token_make() { # DIR PKI LABEL PIN KEY_TYPE CN
    local dir=$1 pki=$2 label=$3 pin=$4 type=$5 cn=$6 p11=(pkcs11-tool --module "$TOKEN_MODULE")
    mkdir -p "$dir/tokens"
    printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
        "$dir" >"$dir/softhsm2.conf"
    export SOFTHSM2_CONF=$dir/softhsm2.conf
    TOKEN_URI="pkcs11:token=$label;object=seal;type=private"
    softhsm2-util --init-token --free --label "$label" --so-pin 13572468 --pin "$pin" \
        >"$dir/token.log" 2>&1 &&
        "${p11[@]}" --token-label "$label" --login --pin "$pin" --keypairgen --key-type "$type" \
            --label seal --id 01 --usage-sign >>"$dir/token.log" 2>&1 &&
        TOKEN_OBJECTS=$("${p11[@]}" --token-label "$label" --login --pin "$pin" --list-objects \
            2>>"$dir/token.log") &&
        openssl req -new -engine pkcs11 -keyform engine -key "$TOKEN_URI;pin-value=$pin" \
            -subj "/C=CN/O=Example Co./CN=$cn" -out "$dir/seal.csr" >>"$dir/token.log" 2>&1 &&
        cp -r "$pki/work/inter-ca" "$dir/ca" &&
        sed "s|^dir *=.*|dir = $dir/ca|" "$pki/work/inter-ca/ca.cnf" >"$dir/ca/ca.cnf" &&
        openssl ca -batch -notext -config "$dir/ca/ca.cnf" -extensions ext_seal -days 30 \
            -in "$dir/seal.csr" -out "$dir/seal.pem" >>"$dir/token.log" 2>&1 &&
        cat "$dir/seal.pem" "$pki/inter-ca.pem" >"$dir/seal-chain.pem" ||
        { echo "token_make: failed; $dir/token.log:" >&2; tail -n 5 "$dir/token.log" >&2; return 1; }
    printf '%s\n' "$pin" >"$dir/pin"
    chmod 600 "$dir/pin"
}
