/* filter.h - the libmilter callbacks of eseal-milter, and the runtime they use. */
#ifndef ESEAL_MILTER_FILTER_H
#define ESEAL_MILTER_FILTER_H

#include "eseal/runtime.h"

/* filter_register - register the callbacks with libmilter; 0 on success. */
int filter_register(const char *name);

/* filter_runtime_swap - make rt (one reference, given) the runtime of messages that start
 * from now on; returns the previous one (its reference, for the caller to drop), or NULL. */
eseal_runtime *filter_runtime_swap(eseal_runtime *rt);

/* filter_wait_idle - wait until no message is in flight or seconds have passed; returns the
 * number still in flight. */
int filter_wait_idle(int seconds);

#endif
