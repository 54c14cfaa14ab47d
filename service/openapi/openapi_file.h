/*
 * service/openapi/openapi.json, compiled into the binary by service/embed.py
 * and served by handlers/openapi.c at /v1/openapi.json.
 */
#ifndef KD_OPENAPI_FILE_H
#define KD_OPENAPI_FILE_H

#include "api/embedded_file.h"

/* One entry, "openapi.json". */
extern const kd_embedded_file kd_openapi_files[];
extern const int kd_openapi_files_count;

#endif
