/* eseal/cidr.h - IPv4 and IPv6 networks written as CIDR ("10.0.0.0/8", "::1", "fd00::/8"). */
#ifndef ESEAL_CIDR_H
#define ESEAL_CIDR_H

#ifdef __cplusplus
extern "C" {
#endif

/* One network; plain data. */
typedef struct eseal_cidr {
    int family;             /* AF_INET or AF_INET6 */
    unsigned char addr[16]; /* network address, host bits cleared */
    unsigned prefix;        /* 0..32 or 0..128 */
} eseal_cidr;

/* eseal_cidr_parse - parse "ADDR" or "ADDR/PREFIX" into *out; 0 on success, -1 if malformed. */
int eseal_cidr_parse(const char *text, eseal_cidr *out);

/* eseal_cidr_contains - whether the address (family, 4 or 16 bytes) lies in net; an IPv4
 * address mapped into IPv6 (::ffff:a.b.c.d) also matches an IPv4 network. */
int eseal_cidr_contains(const eseal_cidr *net, int family, const unsigned char *addr);

#ifdef __cplusplus
}
#endif
#endif
