#include "handlers/decision.h"

#include <string.h>

#include "api/respond.h"

bool kd_decision_respond(kd_http_request *req, const PGresult *res)
{
	if (!PQgetisnull(res, 0, 0)) {
		kd_respond_text(req, 200, PQgetvalue(res, 0, 0), "Cache-Control: no-store\r\n");
		return true;
	}
	if (strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
		kd_respond_error(req, 409, "not_pending",
				 "the offer is already decided or past its deadline", NULL);
		return true;
	}
	return false;
}
