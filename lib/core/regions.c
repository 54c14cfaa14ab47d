#include "core/regions.h"

#include <stdlib.h>
#include <string.h>

#include "kd.h"

struct kd_regions {
	kd_kecamatan *kecamatan;
	size_t kecamatan_count, kecamatan_cap;
	kd_desa *desa;
	size_t desa_count, desa_cap;
	kd_geo_box box;
	bool frozen;
};

static bool code_shape(const char *code, const char *shape)
{
	for (; *shape; shape++, code++) {
		if (*shape == 'N' ? (*code < '0' || *code > '9') : *code != *shape)
			return false;
	}
	return *code == '\0';
}

bool kd_region_kecamatan_code_valid(const char *code)
{
	return code_shape(code, "NN.NN.NN");
}

bool kd_region_desa_code_valid(const char *code)
{
	return code_shape(code, "NN.NN.NN.NNNN");
}

int kd_desa_kind_parse(const char *name)
{
	if (strcmp(name, "desa") == 0)
		return KD_DESA_RURAL;
	if (strcmp(name, "kelurahan") == 0)
		return KD_DESA_URBAN;
	return kd_error(EINVAL);
}

const char *kd_desa_kind_name(kd_desa_kind kind)
{
	return kind == KD_DESA_URBAN ? "kelurahan" : "desa";
}

kd_regions *kd_regions_new(void)
{
	kd_regions *r = calloc(1, sizeof(*r));
	if (r)
		r->box = kd_geo_box_empty();
	return r;
}

void kd_regions_free(kd_regions *regions)
{
	if (!regions)
		return;
	for (size_t i = 0; i < regions->kecamatan_count; i++)
		free((char *)regions->kecamatan[i].name);
	for (size_t i = 0; i < regions->desa_count; i++)
		free((char *)regions->desa[i].name);
	free(regions->kecamatan);
	free(regions->desa);
	free(regions);
}

/* Makes room for one more element of size `size` in *items. */
static int reserve(void **items, size_t count, size_t *cap, size_t size)
{
	if (count < *cap)
		return kd_ok();
	size_t new_cap = *cap ? *cap * 2 : 32;
	void *grown = realloc(*items, new_cap * size);
	if (!grown)
		return kd_error(ENOMEM);
	*items = grown;
	*cap = new_cap;
	return kd_ok();
}

static int check_row(const kd_regions *regions, const char *name, double lat, double lon)
{
	if (regions->frozen)
		return kd_error(EBUSY);
	if (name[0] == '\0' || !kd_geo_valid(lat, lon))
		return kd_error(EINVAL);
	return kd_ok();
}

int kd_regions_add_kecamatan(kd_regions *regions, const char *code, const char *name,
			     double lat, double lon)
{
	int rc = check_row(regions, name, lat, lon);
	if (rc < 0)
		return rc;
	if (!kd_region_kecamatan_code_valid(code))
		return kd_error(EINVAL);
	rc = reserve((void **)&regions->kecamatan, regions->kecamatan_count,
		     &regions->kecamatan_cap, sizeof(kd_kecamatan));
	if (rc < 0)
		return rc;
	char *copy = strdup(name);
	if (!copy)
		return kd_error(ENOMEM);
	kd_kecamatan *k = &regions->kecamatan[regions->kecamatan_count++];
	memcpy(k->code, code, KD_KECAMATAN_CODE_SIZE);
	k->name = copy;
	k->lat = lat;
	k->lon = lon;
	return kd_ok();
}

int kd_regions_add_desa(kd_regions *regions, const char *code, const char *name,
			kd_desa_kind kind, double lat, double lon)
{
	int rc = check_row(regions, name, lat, lon);
	if (rc < 0)
		return rc;
	if (!kd_region_desa_code_valid(code) || (kind != KD_DESA_RURAL && kind != KD_DESA_URBAN))
		return kd_error(EINVAL);
	rc = reserve((void **)&regions->desa, regions->desa_count, &regions->desa_cap,
		     sizeof(kd_desa));
	if (rc < 0)
		return rc;
	char *copy = strdup(name);
	if (!copy)
		return kd_error(ENOMEM);
	kd_desa *d = &regions->desa[regions->desa_count++];
	memcpy(d->code, code, KD_DESA_CODE_SIZE);
	d->name = copy;
	d->kind = kind;
	d->lat = lat;
	d->lon = lon;
	d->kecamatan = NULL;
	return kd_ok();
}

/* Both row types start with their code, so one comparison serves both. */
static int compare_code(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* qsort() and bsearch() want a real array even for no elements; ours may be NULL. */
static void sort_by_code(void *items, size_t count, size_t size)
{
	if (count > 1)
		qsort(items, count, size, compare_code);
}

static const void *find(const void *items, size_t count, size_t size, const char *code)
{
	return count ? bsearch(code, items, count, size, compare_code) : NULL;
}

int kd_regions_freeze(kd_regions *regions)
{
	if (regions->frozen)
		return kd_error(EBUSY);
	sort_by_code(regions->kecamatan, regions->kecamatan_count, sizeof(kd_kecamatan));
	sort_by_code(regions->desa, regions->desa_count, sizeof(kd_desa));
	for (size_t i = 1; i < regions->kecamatan_count; i++)
		if (strcmp(regions->kecamatan[i - 1].code, regions->kecamatan[i].code) == 0)
			return kd_error(EEXIST);
	for (size_t i = 1; i < regions->desa_count; i++)
		if (strcmp(regions->desa[i - 1].code, regions->desa[i].code) == 0)
			return kd_error(EEXIST);

	kd_geo_box box = kd_geo_box_empty();
	for (size_t i = 0; i < regions->desa_count; i++) {
		kd_desa *d = &regions->desa[i];
		char parent[KD_KECAMATAN_CODE_SIZE];
		memcpy(parent, d->code, KD_KECAMATAN_CODE_SIZE - 1);
		parent[KD_KECAMATAN_CODE_SIZE - 1] = '\0';
		d->kecamatan = find(regions->kecamatan, regions->kecamatan_count,
				    sizeof(kd_kecamatan), parent);
		if (!d->kecamatan)
			return kd_error(ENOENT);
		kd_geo_box_extend(&box, d->lat, d->lon);
	}
	regions->box = box;
	regions->frozen = true;
	return kd_ok();
}

const kd_kecamatan *kd_regions_kecamatan(const kd_regions *regions, const char *code)
{
	if (!regions->frozen)
		return NULL;
	return find(regions->kecamatan, regions->kecamatan_count, sizeof(kd_kecamatan), code);
}

const kd_desa *kd_regions_desa(const kd_regions *regions, const char *code)
{
	if (!regions->frozen)
		return NULL;
	return find(regions->desa, regions->desa_count, sizeof(kd_desa), code);
}

const kd_kecamatan *kd_regions_kecamatan_list(const kd_regions *regions, size_t *count)
{
	*count = regions->frozen ? regions->kecamatan_count : 0;
	return *count ? regions->kecamatan : NULL;
}

const kd_desa *kd_regions_desa_of(const kd_regions *regions, const char *kecamatan_code,
				  size_t *count)
{
	*count = 0;
	const kd_kecamatan *k = kd_regions_kecamatan(regions, kecamatan_code);
	if (!k)
		return NULL;
	/* Sorted by code, a kecamatan's desa are one run; find its start by bisection. */
	size_t lo = 0, hi = regions->desa_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strncmp(regions->desa[mid].code, k->code, KD_KECAMATAN_CODE_SIZE - 1) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < regions->desa_count && regions->desa[end].kecamatan == k)
		end++;
	*count = end - lo;
	return *count ? &regions->desa[lo] : NULL;
}

kd_geo_box kd_regions_box(const kd_regions *regions, double margin_km)
{
	if (!regions->frozen || regions->desa_count == 0)
		return kd_geo_box_empty();
	return kd_geo_box_grow(regions->box, margin_km);
}
