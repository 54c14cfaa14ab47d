/*
 * The kiosk page's files, compiled into the binary by service/kiosk/embed.py
 * (the daemon never reads a file to answer a request).  Everything here is
 * static, generated data: borrowed by every reader, never freed.
 */
#ifndef KD_KIOSK_FILES_H
#define KD_KIOSK_FILES_H

#include <stddef.h>

typedef struct kd_kiosk_file {
	const char *name;          /* the name under /kiosk/, e.g. "kiosk.js" */
	const char *content_type;  /* from the extension, with charset for text */
	const char *etag;          /* a strong validator, quotes included */
	const unsigned char *data; /* len bytes (NUL after them, not counted) */
	size_t len;
} kd_kiosk_file;

/* Sorted by name. */
extern const kd_kiosk_file kd_kiosk_files[];
extern const int kd_kiosk_file_count;

#endif
