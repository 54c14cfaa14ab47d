/*
 * Field readers for the API's own value types: dates, education levels,
 * phone numbers, places and skill lists.
 */
#include "core/validate_internal.h"

#include "kd.h"

int kd_v_date(const kd_vscope *s, const char *key, bool required, kd_date *out)
{
	const char *text;
	int rc = kd_v_string(s, key, required, &text);
	if (rc <= 0)
		return rc;
	if (kd_date_parse(text, out) < 0)
		return kd_v_invalid(s, key, "must be a date as YYYY-MM-DD");
	return 1;
}

int kd_v_education(const kd_vscope *s, const char *key, bool required, kd_education *out)
{
	const char *text;
	int rc = kd_v_string(s, key, required, &text);
	if (rc <= 0)
		return rc;
	int level = kd_education_parse(text);
	if (level < 0)
		return kd_v_invalid(s, key, "unknown education level");
	*out = (kd_education)level;
	return 1;
}

int kd_v_phone(const kd_vscope *s, const char *key, bool required, char out[KD_PHONE_SIZE])
{
	const char *text;
	int rc = kd_v_string(s, key, required, &text);
	if (rc <= 0)
		return rc;
	if (kd_phone_normalise(text, out) < 0)
		return kd_v_invalid(s, key, "must be an indonesian phone number");
	return 1;
}

int kd_v_desa(const kd_vscope *s, const kd_validate_ctx *ctx, const kd_desa **out)
{
	const char *code;
	int rc = kd_v_string(s, "desa_code", true, &code);
	if (rc < 0)
		return rc;
	if (!kd_region_desa_code_valid(code))
		return kd_v_invalid(s, "desa_code", "must look like NN.NN.NN.NNNN");
	*out = kd_regions_desa(ctx->regions, code);
	if (!*out)
		return kd_v_invalid(s, "desa_code", "no such desa in the service area");
	return 1;
}

int kd_v_place(const kd_vscope *s, const kd_validate_ctx *ctx, kd_place *out)
{
	static const char *const location_keys[] = { "lat", "lon" };
	const kd_desa *desa;
	int rc = kd_v_desa(s, ctx, &desa);
	if (rc < 0)
		return rc;

	kd_vscope location;
	rc = kd_v_object(s, "location", false, location_keys, KD_ARRAY_LEN(location_keys),
			 &location);
	if (rc < 0)
		return rc;
	out->desa = desa;
	out->location_given = rc > 0;
	if (!out->location_given) {
		out->lat = desa->lat;
		out->lon = desa->lon;
		return 1;
	}
	rc = kd_v_number(&location, "lat", true, -90.0, 90.0, &out->lat);
	if (rc < 0)
		return rc;
	rc = kd_v_number(&location, "lon", true, -180.0, 180.0, &out->lon);
	if (rc < 0)
		return rc;
	kd_geo_box area = kd_regions_box(ctx->regions, KD_LOCATION_MARGIN_KM);
	if (!kd_geo_box_contains(&area, out->lat, out->lon))
		return kd_v_invalid(s, "location", "outside the service area");
	return 1;
}

int kd_v_known_skills(const kd_vscope *s, const char *key, bool required, size_t min,
		      const kd_skills *skills, int ids[KD_SKILLS_MAX], size_t *count)
{
	const json_t *list;
	*count = 0;
	int rc = kd_v_array(s, key, required, min, KD_SKILLS_MAX, &list);
	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *item = json_array_get(list, i);
		if (!json_is_string(item))
			return kd_v_invalid_item(s, key, i, "must be a string");
		const kd_skill *skill = kd_skills_lookup(skills, json_string_value(item));
		if (!skill)
			return kd_v_invalid_item(s, key, i, "unknown skill");
		size_t j = 0;
		while (j < *count && ids[j] != skill->id)
			j++;
		if (j == *count)
			ids[(*count)++] = skill->id;
	}
	return 1;
}
