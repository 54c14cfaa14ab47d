#include "world_fixture.h"

#include <stdio.h>
#include <string.h>

#include "kd.h"

static const struct {
	const char *name;
	int villages;
	double lat, lon;
} kukar[] = {
	{ "Muara Muntai", 13, -0.5256, 116.4157 },
	{ "Loa Kulu", 15, -0.6561, 116.7699 },
	{ "Loa Janan", 8, -0.7405, 117.0152 },
	{ "Anggana", 8, -0.6214, 117.4334 },
	{ "Muara Badak", 13, -0.3410, 117.3745 },
	{ "Tenggarong", 14, -0.4194, 116.9323 },
	{ "Sebulu", 14, -0.2669, 116.9428 },
	{ "Kota Bangun", 11, -0.2533, 116.5894 },
	{ "Kenohan", 9, 0.0016, 116.2784 },
	{ "Kembang Janggut", 11, 0.2642, 116.1721 },
	{ "Muara Kaman", 20, 0.0771, 116.8640 },
	{ "Tabang", 19, 0.8963, 115.8080 },
	{ "Samboja", 13, -0.9586, 117.1166 },
	{ "Muara Jawa", 8, -0.8093, 117.2150 },
	{ "Sanga Sanga", 5, -0.6747, 117.2399 },
	{ "Tenggarong Seberang", 18, -0.2656, 117.1376 },
	{ "Marang Kayu", 11, -0.0514, 117.3040 },
	{ "Muara Wis", 7, -0.2105, 116.2806 },
	{ "Kota Bangun Darat", 10, -0.4371, 116.6586 },
	{ "Samboja Barat", 10, -1.0133, 116.9758 },
};

#define KUKAR_KECAMATAN KD_ARRAY_LEN(kukar)
#define KUKAR_DESA 237

static const kd_demo_skill_row skills[] = {
	{ 1, "heavy_equipment_operator", "mining" },
	{ 2, "excavator_operator", "mining" },
	{ 3, "bulldozer_operator", "mining" },
	{ 4, "mine_surveyor", "mining" },
	{ 5, "oil_gas_production_operator", "oil_gas" },
	{ 6, "drilling_rig_crew", "oil_gas" },
	{ 7, "smelter_furnace_operator", "smelting" },
	{ 8, "kiln_operator", "smelting" },
	{ 9, "oil_palm_harvesting", "plantation" },
	{ 10, "plantation_foreman", "plantation" },
	{ 11, "capture_fishing", "fisheries" },
	{ 12, "net_fishing", "fisheries" },
	{ 13, "rice_farming", "agriculture" },
	{ 14, "bricklaying", "construction" },
	{ 15, "baking", "manufacturing" },
	{ 16, "truck_driving_b2", "logistics" },
	{ 17, "cooking", "hospitality" },
	{ 18, "office_administration", "office" },
	{ 19, "computer_repair", "it" },
	{ 20, "nursing", "care" },
	{ 21, "cashier", "retail" },
	{ 22, "welding", "trades" },
	{ 23, "occupational_safety", "general" },
	{ 24, "office_software", "general" },
	{ 25, "english_language", "general" },
};

static char kukar_codes[KUKAR_KECAMATAN][9];
static kd_demo_kecamatan_row kukar_kecamatan[KUKAR_KECAMATAN];
static char kukar_desa_codes[KUKAR_DESA][14];
static kd_demo_desa_row kukar_desa[KUKAR_DESA];
static kd_demo_world kukar_world;

const kd_demo_world *fixture_kukar(void)
{
	if (kukar_world.kecamatan)
		return &kukar_world;
	size_t d = 0;
	for (size_t k = 0; k < KUKAR_KECAMATAN; k++) {
		snprintf(kukar_codes[k], sizeof(kukar_codes[k]), "64.02.%02zu", k + 1);
		kukar_kecamatan[k] = (kd_demo_kecamatan_row){ kukar_codes[k], kukar[k].name };
		for (int v = 0; v < kukar[k].villages; v++, d++) {
			snprintf(kukar_desa_codes[d], sizeof(kukar_desa_codes[d]), "64.02.%02zu.%04d",
				 k + 1, 2001 + v);
			kukar_desa[d] = (kd_demo_desa_row){
				kukar_desa_codes[d], kukar_codes[k],
				kukar[k].lat + 0.01 * (v % 5), kukar[k].lon + 0.01 * (v / 5),
			};
		}
	}
	kukar_world = (kd_demo_world){
		kukar_kecamatan, KUKAR_KECAMATAN, kukar_desa, d, skills, KD_ARRAY_LEN(skills),
	};
	return &kukar_world;
}

static const kd_demo_kecamatan_row unknown_kecamatan[] = {
	{ "91.01.01", "Alpha" }, { "91.01.02", "Beta" }, { "91.01.03", "Gamma" },
};

static const kd_demo_desa_row unknown_desa[] = {
	{ "91.01.01.2001", "91.01.01", -2.50, 140.70 },
	{ "91.01.02.2001", "91.01.02", -2.55, 140.70 },
	{ "91.01.02.2002", "91.01.02", -2.56, 140.71 },
	{ "91.01.03.2001", "91.01.03", -2.60, 140.70 },
	{ "91.01.03.2002", "91.01.03", -2.61, 140.71 },
	{ "91.01.03.2003", "91.01.03", -2.62, 140.72 },
};

static const kd_demo_world unknown_world = {
	unknown_kecamatan, KD_ARRAY_LEN(unknown_kecamatan), unknown_desa,
	KD_ARRAY_LEN(unknown_desa), skills, KD_ARRAY_LEN(skills),
};

const kd_demo_world *fixture_unknown_region(void)
{
	return &unknown_world;
}

static const kd_demo_kecamatan_row other_kecamatan[] = {
	{ "91.01.01", "Tenggarong" }, { "91.01.02", "Beta" }, { "91.01.03", "Gamma" },
};

static const kd_demo_desa_row other_desa[] = {
	{ "91.01.01.2001", "91.01.01", -2.50, 140.70 },
	{ "91.01.01.2002", "91.01.01", -2.51, 140.71 },
	{ "91.01.01.2003", "91.01.01", -2.52, 140.72 },
	{ "91.01.02.2001", "91.01.02", -2.55, 140.70 },
	{ "91.01.02.2002", "91.01.02", -2.56, 140.71 },
	{ "91.01.03.2001", "91.01.03", -2.60, 140.70 },
};

#define OTHER_KECAMATAN KD_ARRAY_LEN(other_kecamatan)
#define OTHER_DESA KD_ARRAY_LEN(other_desa)

static kd_demo_kecamatan_row both_kecamatan[KUKAR_KECAMATAN + OTHER_KECAMATAN];
static kd_demo_desa_row both_desa[KUKAR_DESA + OTHER_DESA];
static kd_demo_world both_world;

const kd_demo_world *fixture_two_regencies(void)
{
	if (both_world.kecamatan)
		return &both_world;
	const kd_demo_world *kukar_only = fixture_kukar();
	memcpy(both_kecamatan, kukar_only->kecamatan, sizeof(kukar_kecamatan));
	memcpy(both_kecamatan + KUKAR_KECAMATAN, other_kecamatan, sizeof(other_kecamatan));
	memcpy(both_desa, kukar_only->desa, sizeof(kukar_desa));
	memcpy(both_desa + KUKAR_DESA, other_desa, sizeof(other_desa));
	both_world = (kd_demo_world){
		both_kecamatan, KD_ARRAY_LEN(both_kecamatan), both_desa, KD_ARRAY_LEN(both_desa),
		skills, KD_ARRAY_LEN(skills),
	};
	return &both_world;
}

int fixture_kecamatan_by_code(const kd_demo_world *w, const char *code)
{
	for (size_t k = 0; k < w->kecamatan_count; k++)
		if (strcmp(w->kecamatan[k].code, code) == 0)
			return (int)k;
	return -1;
}

int fixture_kecamatan_index(const kd_demo_world *w, const char *name)
{
	for (size_t k = 0; k < w->kecamatan_count; k++)
		if (strcmp(w->kecamatan[k].name, name) == 0)
			return (int)k;
	return -1;
}

int fixture_kecamatan_of(const kd_demo_world *w, const kd_demo_desa_row *d)
{
	for (size_t k = 0; k < w->kecamatan_count; k++)
		if (strcmp(w->kecamatan[k].code, d->kecamatan_code) == 0)
			return (int)k;
	return -1;
}

const char *fixture_skill_sector(const kd_demo_world *w, int id)
{
	for (size_t i = 0; i < w->skill_count; i++)
		if (w->skills[i].id == id)
			return w->skills[i].sector;
	return NULL;
}

kd_demo_options fixture_options(void)
{
	return (kd_demo_options){
		.seed = 1, .today = kd_date_to_days((kd_date){ 2025, 11, 28 }),
		.employers = 150, .vacancies = 400, .seekers = 2000,
		.first_employer = 1, .first_vacancy = 1, .first_seeker = 1,
	};
}
