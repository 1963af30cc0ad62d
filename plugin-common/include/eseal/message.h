/* eseal/message.h - the message pipeline shared by eseal-milter and `eseal check-message`:
 * parse a message, seal its attachments (outbound) or verify its seals (inbound), and say
 * what to change, as header edits and an optional new body. */
#ifndef ESEAL_MESSAGE_H
#define ESEAL_MESSAGE_H

#include <stddef.h>

#include "eseal/error.h"
#include "eseal/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The whole message (header block, blank line, body) with CRLF line ends, as an MTA hands it
 * to a milter: either fd (a seekable file, read from offset 0; data NULL) or data/len. */
typedef struct eseal_message_input {
    int fd;
    const unsigned char *data;
    size_t len;
    /* The envelope sender (MAIL FROM, "" for a bounce), or NULL when unknown (offline).  An
     * outbound message is sealed only when its author domain and this domain select the same
     * seal: the MTA binds the envelope sender to the login (smtpd_sender_login_maps), the
     * From header is the sender's to write. */
    const char *envelope_from;
} eseal_message_input;

typedef enum eseal_edit_op {
    ESEAL_EDIT_ADD,    /* insert name: value at the top, in edit order */
    ESEAL_EDIT_CHANGE, /* replace the index-th header called name (1-based) */
    ESEAL_EDIT_DELETE, /* delete the index-th header called name (1-based) */
} eseal_edit_op;

/* One header change.  Deletions of one name come in descending index order, so that they
 * apply one after the other whatever the MTA's counting.  Values fold with "\n\t". */
typedef struct eseal_header_edit {
    eseal_edit_op op;
    const char *name;
    int index;
    const char *value;
} eseal_header_edit;

/* What the pipeline decided for one message. */
typedef struct eseal_message_result eseal_message_result;

/* What the MTA is to do with the message as a whole. */
typedef enum eseal_message_action {
    ESEAL_MESSAGE_ACCEPT = 0, /* deliver, with the edits */
    ESEAL_MESSAGE_HOLD,       /* apply the edits and quarantine it (reason says why) */
    ESEAL_MESSAGE_REJECT,     /* reject with 550 5.7.1 and the reason; no edits */
} eseal_message_action;

/* GMime must be initialised (g_mime_init) once by the program before the first call. */

/* eseal_message_header_is_ours - whether only this host may write the header: any ESeal-*,
 * and Authentication-Results naming authserv_id (RFC 8601 section 5). */
int eseal_message_header_is_ours(const char *name, const char *value, const char *authserv_id);

/* eseal_message_unchecked_header - the header that says a message was passed on without
 * being checked (inbound: ESeal-Verification ...; result=error) or sealed (outbound:
 * ESeal-Outbound ...; sealed=0), and why: its name into *name, its value into value. */
void eseal_message_unchecked_header(const eseal_runtime *rt, eseal_direction dir,
                                    const char *reason, const char **name, char *value,
                                    size_t size);

/* eseal_message_process - run the pipeline in direction dir on in; *out gets the result
 * (free with eseal_message_result_free).  Inbound never changes the body.  A message the
 * pipeline cannot handle is a negative status and no result: the caller then applies
 * on_error, so nothing is ever half-changed. */
int eseal_message_process(const eseal_runtime *rt, eseal_direction dir,
                          const eseal_message_input *in, eseal_message_result **out,
                          eseal_error *err);

/* eseal_message_result_edit_count / _edit - the header edits, in the order to apply them. */
size_t eseal_message_result_edit_count(const eseal_message_result *r);
const eseal_header_edit *eseal_message_result_edit(const eseal_message_result *r, size_t i);

/* eseal_message_result_body_fd - a file with the new body (CRLF), read from offset 0, or -1
 * when the body stays as it is; owned by r. */
int eseal_message_result_body_fd(const eseal_message_result *r);

/* eseal_message_result_action - what to do with the message; *reason (may be NULL) gets the
 * text for the rejection or the quarantine ("" for accept); owned by r. */
eseal_message_action eseal_message_result_action(const eseal_message_result *r,
                                                 const char **reason);

/* eseal_message_result_summary - one line for the log ("outbound sealed=2 refused=0
 * attachments=3", "inbound result=pass sealed=2 failed=0 unsealed=1 flagged=0"). */
const char *eseal_message_result_summary(const eseal_message_result *r);

/* What one message's attachments came to, for statistics. */
typedef struct eseal_message_counts {
    eseal_direction direction;
    unsigned attachments; /* outbound: attachments looked at; inbound: with or without a seal */
    unsigned sealed;      /* outbound: sealed now; inbound: carrying a seal */
    unsigned refused;     /* outbound: kept unsealed by the policy (refused or held) */
    unsigned failed;      /* inbound: seals that are not pass */
    unsigned unsealed;    /* inbound: without a seal */
    unsigned flagged;     /* inbound: flagged by the policy */
} eseal_message_counts;

/* eseal_message_result_counts - the counts of the message into *out. */
void eseal_message_result_counts(const eseal_message_result *r, eseal_message_counts *out);

/* eseal_message_result_free - release a result; NULL-safe. */
void eseal_message_result_free(eseal_message_result *r);

/* eseal_message_write - write in with r applied (the message as the MTA would deliver it)
 * to out_fd, with LF line ends when lf is set, else CRLF. */
int eseal_message_write(const eseal_message_result *r, const eseal_message_input *in, int out_fd,
                        int lf, eseal_error *err);

#ifdef __cplusplus
}
#endif
#endif
