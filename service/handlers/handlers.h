/*
 * Request handlers of API v1, one file per resource.  Each answers its
 * request exactly once, possibly after database round trips.
 */
#ifndef KD_HANDLERS_H
#define KD_HANDLERS_H

#include "api/routes.h"

void kd_handle_health(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_kecamatan_list(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_regency_list(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_desa_list(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_skills_search(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_seeker_create(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_seeker_get(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_seeker_recommendations(struct kd_app *app, kd_http_request *req,
				      const kd_route_params *p);
void kd_handle_seeker_erase(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_employer_create(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_vacancy_create(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_vacancy_update(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_vacancy_list(struct kd_app *app, kd_http_request *req, const kd_route_params *p);

void kd_handle_match_run_create(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_match_run_get(struct kd_app *app, kd_http_request *req, const kd_route_params *p);

void kd_handle_placement_list(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_placement_decide(struct kd_app *app, kd_http_request *req,
				const kd_route_params *p);
void kd_handle_status_moved(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_status_lookup(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_status_decline(struct kd_app *app, kd_http_request *req, const kd_route_params *p);

/* The kiosk page, compiled into the binary (handlers/kiosk.c). */
void kd_handle_kiosk_index(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_kiosk_file(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_metrics(struct kd_app *app, kd_http_request *req, const kd_route_params *p);
void kd_handle_openapi(struct kd_app *app, kd_http_request *req, const kd_route_params *p);

#endif
