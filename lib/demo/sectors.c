#include "demo/sectors_data.h"

#include <string.h>

#include "kd.h"

/* Skills every sector asks for (safety, languages, driving): no employers of their own. */
static const kd_demo_sector general = {
	"general", true, 1.0, 0.0, NULL, 0, NULL, 0,
};

static const kd_demo_sector *const known[] = {
	&kd_demo_sector_mining, &kd_demo_sector_oil_gas, &kd_demo_sector_smelting,
	&kd_demo_sector_plantation, &kd_demo_sector_fisheries, &kd_demo_sector_agriculture,
	&kd_demo_sector_construction, &kd_demo_sector_manufacturing, &kd_demo_sector_logistics,
	&kd_demo_sector_hospitality, &kd_demo_sector_office, &kd_demo_sector_it,
	&kd_demo_sector_care, &kd_demo_sector_retail, &kd_demo_sector_trades, &general,
};

static const kd_demo_branch generic_branches[] = {
	{ "82990", { "PT", "CV" }, { "Usaha Bersama", "Jasa Mandiri", "Jasa Utama", "Sejahtera" } },
};

static const kd_demo_job generic_jobs[] = {
	{ 0, "Staf Operasional", "4110", KD_EDU_SMA, 3500, 5000, { NULL } },
	{ 0, "Tenaga Terampil", "9329", KD_EDU_SMP, 3200, 4500, { NULL } },
	{ 0, "Teknisi", "3119", KD_EDU_SMK, 4000, 6000, { NULL } },
};

static const kd_demo_sector generic = {
	"", true, 1.0, 0.05, generic_branches, KD_ARRAY_LEN(generic_branches),
	generic_jobs, KD_ARRAY_LEN(generic_jobs),
};

static const kd_demo_job support_jobs[] = {
	{ 0, "Satpam", "5414", KD_EDU_SMA, 3500, 4500, { "security_guard" } },
	{ 0, "Staf Administrasi", "4110", KD_EDU_SMA, 3800, 5000,
	  { "office_administration", "office_software" } },
	{ 0, "Sopir Operasional", "8322", KD_EDU_SMP, 3600, 4800, { "car_driving_a" } },
	{ 0, "Petugas Kebersihan", "9112", KD_EDU_SD, 3300, 4000, { "cleaning" } },
	{ 0, "Juru Masak Mess", "5120", KD_EDU_SMP, 3600, 4800, { "cooking" } },
	{ 0, "Petugas K3", "3257", KD_EDU_D3, 5000, 8000, { "occupational_safety", "first_aid" } },
};

static const char *const name_heads[] = {
	"Mitra", "Cahaya", "Sinar", "Bina", "Karya", "Tunas", "Putra", "Harapan", "Bumi", "Nusa",
	"Anugerah", "Prima",
};

const kd_demo_sector *kd_demo_sector_find(const char *name)
{
	for (size_t i = 0; i < KD_ARRAY_LEN(known); i++)
		if (strcmp(known[i]->name, name) == 0)
			return known[i];
	return NULL;
}

const kd_demo_sector *kd_demo_sector_generic(void)
{
	return &generic;
}

const kd_demo_job *kd_demo_support_jobs(size_t *count)
{
	*count = KD_ARRAY_LEN(support_jobs);
	return support_jobs;
}

const char *const *kd_demo_name_heads(size_t *count)
{
	*count = KD_ARRAY_LEN(name_heads);
	return name_heads;
}
