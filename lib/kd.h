/*
 * Return convention shared by lib/ and service/: a function that can fail
 * returns kd_ok() (zero) on success and kd_error(E), a negative errno value,
 * on failure.  Callers test with `if (rc < 0)`.
 */
#ifndef KD_H
#define KD_H

#include <errno.h>

#define kd_ok() 0
#define kd_error(e) (-(e))

#define KD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
