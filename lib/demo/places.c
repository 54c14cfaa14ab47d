/*
 * Kutai Kartanegara, after schema/data/kukar/SOURCES.md: oil and gas in the
 * Sanga-Sanga block, coal around Tenggarong Seberang, Loa Kulu and Loa
 * Janan, oil palm upriver, fisheries on the delta coast and the inland
 * lakes, the nickel smelter at Sanga-Sanga, logistics at Loa Janan and the
 * services of the capital, Tenggarong.  Population shares are the three that
 * BPS publishes; the rest of the population is spread by number of villages.
 */
#include "demo/places.h"

#include <string.h>

#include "core/text.h"
#include "kd.h"

static const kd_demo_place places[] = {
	{ "Tenggarong", 0.15, { { "office", 5 }, { "care", 5 }, { "hospitality", 4 },
				{ "retail", 4 }, { "it", 3 }, { "manufacturing", 1 } } },
	{ "Loa Janan", 0.095, { { "mining", 5 }, { "logistics", 5 }, { "manufacturing", 2 } } },
	{ "Tenggarong Seberang", 0.095, { { "mining", 6 }, { "agriculture", 3 },
					  { "construction", 2 } } },
	{ "Loa Kulu", 0, { { "mining", 6 }, { "agriculture", 2 }, { "plantation", 1 } } },
	{ "Muara Badak", 0, { { "oil_gas", 6 }, { "fisheries", 4 }, { "manufacturing", 1 } } },
	{ "Anggana", 0, { { "oil_gas", 5 }, { "fisheries", 5 } } },
	{ "Muara Jawa", 0, { { "oil_gas", 5 }, { "mining", 2 }, { "logistics", 2 } } },
	{ "Sanga Sanga", 0, { { "smelting", 6 }, { "oil_gas", 4 }, { "mining", 1 } } },
	{ "Samboja", 0, { { "agriculture", 3 }, { "mining", 2 }, { "hospitality", 2 },
			  { "oil_gas", 1 }, { "fisheries", 1 } } },
	{ "Samboja Barat", 0, { { "fisheries", 4 }, { "agriculture", 3 }, { "hospitality", 2 } } },
	{ "Muara Kaman", 0, { { "plantation", 6 }, { "mining", 2 }, { "manufacturing", 1 } } },
	{ "Kembang Janggut", 0, { { "plantation", 6 }, { "mining", 1 }, { "manufacturing", 1 } } },
	{ "Tabang", 0, { { "plantation", 5 }, { "mining", 2 } } },
	{ "Sebulu", 0, { { "plantation", 5 }, { "agriculture", 3 }, { "mining", 1 },
			 { "manufacturing", 1 } } },
	{ "Muara Muntai", 0, { { "fisheries", 6 }, { "agriculture", 3 } } },
	{ "Kenohan", 0, { { "fisheries", 5 }, { "agriculture", 2 } } },
	{ "Muara Wis", 0, { { "fisheries", 5 }, { "agriculture", 2 } } },
	{ "Kota Bangun", 0, { { "agriculture", 3 }, { "fisheries", 3 }, { "plantation", 2 },
			      { "manufacturing", 1 } } },
	{ "Kota Bangun Darat", 0, { { "agriculture", 3 }, { "plantation", 3 } } },
	{ "Marang Kayu", 0, { { "manufacturing", 2 }, { "plantation", 2 }, { "fisheries", 2 },
			      { "agriculture", 2 }, { "oil_gas", 1 } } },
};

/* The regency every entry above lies in, as the start of its kecamatan codes. */
static const char places_regency[] = "64.02.";

/* Room for any kecamatan name; a longer one matches nothing. */
#define NAME_SIZE 128

const kd_demo_place *kd_demo_place_find(const char *kecamatan_code, const char *kecamatan_name)
{
	char wanted[NAME_SIZE], candidate[NAME_SIZE];
	if (strncmp(kecamatan_code, places_regency, sizeof(places_regency) - 1) != 0 ||
	    kd_text_normalise(kecamatan_name, wanted, sizeof(wanted)) < 0)
		return NULL;
	for (size_t i = 0; i < KD_ARRAY_LEN(places); i++) {
		if (kd_text_normalise(places[i].kecamatan, candidate, sizeof(candidate)) < 0)
			continue;
		if (strcmp(wanted, candidate) == 0)
			return &places[i];
	}
	return NULL;
}
