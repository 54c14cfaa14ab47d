/*
 * The daemon's 32-byte secret key (keyed NIK hashes, token hashes), kept in
 * a file of 64 hexadecimal characters.  Make one with:
 *   head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > secret && chmod 600 secret
 */
#ifndef KD_SECRET_H
#define KD_SECRET_H

#include <stddef.h>
#include <stdint.h>

#define KD_SECRET_BYTES 32

/*
 * Reads the key from path, or from $KERJADEKAT_SECRET_FILE when path is NULL.
 * On failure returns kd_error() and writes a short reason to why (which the
 * caller prints); the key material never appears in it.
 */
int kd_secret_load(const char *path, uint8_t key[KD_SECRET_BYTES], char *why, size_t whylen);

#endif
