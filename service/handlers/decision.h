/*
 * The answer to a decision on a placement, shared by the employer's
 * POST /v1/placements/{id}/decision and the seeker's POST /v1/status/decline:
 * both statements return (item json, still_exists bool), the item NULL when
 * nothing changed.
 */
#ifndef KD_DECISION_H
#define KD_DECISION_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "http/http_server.h"

/*
 * Answers 200 with the changed item, or 409 not_pending for a placement
 * already decided or past its deadline, and returns true; returns false,
 * answering nothing, when the placement is not the caller's, so that each
 * route gives its own 404.  res is borrowed.
 */
bool kd_decision_respond(kd_http_request *req, const PGresult *res);

#endif
