/* cidr.c - IPv4 and IPv6 networks written as CIDR. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "eseal/cidr.h"

#define CIDR_TEXT_MAX 64

int eseal_cidr_parse(const char *text, eseal_cidr *out)
{
    char addr[CIDR_TEXT_MAX];
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t)(slash - text) : strlen(text);
    unsigned max, i;

    if (len == 0 || len >= sizeof(addr))
        return -1;
    memcpy(addr, text, len);
    addr[len] = '\0';
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, addr, out->addr) == 1) {
        out->family = AF_INET;
        max = 32;
    } else if (inet_pton(AF_INET6, addr, out->addr) == 1) {
        out->family = AF_INET6;
        max = 128;
    } else {
        return -1;
    }
    out->prefix = max;
    if (slash != NULL) {
        char *end;
        unsigned long p;
        if (slash[1] < '0' || slash[1] > '9')
            return -1;
        p = strtoul(slash + 1, &end, 10);
        if (*end != '\0' || p > max)
            return -1;
        out->prefix = (unsigned)p;
    }
    for (i = out->prefix; i < max; i++) /* clear host bits so that matching is a compare */
        out->addr[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
    return 0;
}

int eseal_cidr_contains(const eseal_cidr *net, int family, const unsigned char *addr)
{
    static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    unsigned full, rest;

    if (family == AF_INET6 && net->family == AF_INET && memcmp(addr, v4_mapped, 12) == 0) {
        family = AF_INET;
        addr += 12;
    }
    if (family != net->family)
        return 0;
    full = net->prefix / 8;
    rest = net->prefix % 8;
    if (memcmp(addr, net->addr, full) != 0)
        return 0;
    return rest == 0 || ((addr[full] ^ net->addr[full]) & (0xff00u >> rest) & 0xff) == 0;
}
