/*
 * The kiosk page's files (service/kiosk), compiled into the binary by
 * service/embed.py and served by handlers/kiosk.c.
 */
#ifndef KD_KIOSK_FILES_H
#define KD_KIOSK_FILES_H

#include "api/embedded_file.h"

/* Sorted by name; the name is the one under /kiosk/. */
extern const kd_embedded_file kd_kiosk_files[];
extern const int kd_kiosk_files_count;

#endif
