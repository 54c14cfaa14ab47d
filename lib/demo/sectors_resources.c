/*
 * Sectors that live off land and water: coal, oil and gas, nickel smelting,
 * plantations, fisheries, farming.
 */
#include "demo/sectors_data.h"

#include "kd.h"

static const kd_demo_branch mining_branches[] = {
	{ "05100", { "PT" }, { "Batubara Energi", "Coal Mining", "Bara Sejahtera", "Tambang Perkasa",
			       "Resources", "Bara Utama" } },
	{ "09900", { "PT", "CV" }, { "Mining Services", "Kontraktor Tambang", "Alat Berat Mandiri",
				     "Rental Alat Berat", "Tambang Mandiri" } },
};

static const kd_demo_job mining_jobs[] = {
	{ 1, "Operator Excavator", "8342", KD_EDU_SMA, 6000, 12000,
	  { "excavator_operator", "heavy_equipment_operator", "occupational_safety" } },
	{ 1, "Operator Buldoser", "8342", KD_EDU_SMP, 6000, 11000,
	  { "bulldozer_operator", "heavy_equipment_operator" } },
	{ 1, "Pengemudi Dump Truck", "8332", KD_EDU_SMP, 5500, 9000,
	  { "dump_truck_driver", "truck_driving_b2" } },
	{ 1, "Operator Motor Grader", "8342", KD_EDU_SMA, 6000, 10000, { "grader_operator" } },
	{ 1, "Mekanik Alat Berat", "7233", KD_EDU_SMK, 6000, 13000,
	  { "heavy_equipment_mechanic", "hydraulics" } },
	{ 1, "Tyreman", "7231", KD_EDU_SMK, 5000, 8000, { "heavy_equipment_tyreman" } },
	{ 1, "Pengawas Produksi Tambang", "3121", KD_EDU_D3, 9000, 18000,
	  { "mine_production_supervisor", "mine_safety_inspector" } },
	{ 1, "Dispatcher Produksi", "4323", KD_EDU_SMA, 5000, 8000,
	  { "mine_dispatcher", "office_software" } },
	{ 0, "Surveyor Tambang", "3117", KD_EDU_D3, 7000, 14000, { "mine_surveyor", "gis_mapping" } },
	{ 0, "Sampler Batu Bara", "3117", KD_EDU_SMK, 4500, 7000, { "coal_quality_control" } },
	{ 0, "Staf Reklamasi", "3142", KD_EDU_D3, 5000, 9000, { "mine_reclamation" } },
	{ 0, "Geologis Tambang", "2114", KD_EDU_S1, 9000, 20000, { "mine_geology" } },
	{ 0, "Perencana Tambang", "2146", KD_EDU_S1, 10000, 20000, { "mine_planning" } },
	{ 0, "Operator Crusher", "8112", KD_EDU_SMA, 5000, 8500, { "crusher_operator" } },
	{ 0, "Pengawas K3 Tambang", "3257", KD_EDU_D3, 8000, 15000,
	  { "mine_safety_inspector", "occupational_safety" } },
	{ 0, "Juru Ledak", "8111", KD_EDU_SMA, 7000, 12000, { "drilling_blasting" } },
};

const kd_demo_sector kd_demo_sector_mining = {
	"mining", false, 3.0, 0.03, mining_branches, KD_ARRAY_LEN(mining_branches),
	mining_jobs, KD_ARRAY_LEN(mining_jobs),
};

static const kd_demo_branch oil_gas_branches[] = {
	{ "06100", { "PT" }, { "Petro Energi", "Migas Utama", "Energi Nusantara", "Petroleum" } },
	{ "09100", { "PT" }, { "Petro Services", "Oilfield Services", "Teknik Migas", "Energi Servis" } },
};

static const kd_demo_job oil_gas_jobs[] = {
	{ 0, "Operator Produksi Migas", "3134", KD_EDU_SMK, 7000, 15000,
	  { "oil_gas_production_operator", "occupational_safety" } },
	{ 0, "Analis Laboratorium Migas", "3111", KD_EDU_D3, 6000, 11000,
	  { "oil_gas_lab_analyst", "lab_analyst" } },
	{ 0, "Operator Kompresor Gas", "8189", KD_EDU_SMK, 6500, 12000, { "gas_compressor_operator" } },
	{ 0, "Insinyur Perminyakan", "2146", KD_EDU_S1, 12000, 25000, { "petroleum_engineering" } },
	{ 0, "Petugas HSE", "3257", KD_EDU_D3, 8000, 15000, { "hse_officer", "occupational_safety" } },
	{ 1, "Kru Pengeboran", "8113", KD_EDU_SMA, 7000, 14000,
	  { "drilling_rig_crew", "offshore_safety" } },
	{ 1, "Teknisi Instrumen", "3114", KD_EDU_D3, 8000, 16000, { "process_instrumentation" } },
	{ 1, "Welder Pipa", "7212", KD_EDU_SMK, 7000, 13000, { "pipe_welding", "welding" } },
	{ 1, "Rigger", "7215", KD_EDU_SMA, 6000, 10000, { "rigging", "occupational_safety" } },
	{ 1, "Teknisi Pipa", "7126", KD_EDU_SMK, 6500, 12000, { "pipeline_maintenance" } },
	{ 1, "Gas Tester", "3119", KD_EDU_SMK, 6000, 10000, { "gas_testing", "hse_officer" } },
	{ 1, "Teknisi Korosi", "3119", KD_EDU_D3, 7000, 12000, { "corrosion_control" } },
	{ 1, "Perawatan Sumur", "8113", KD_EDU_SMK, 7000, 13000, { "well_servicing" } },
};

const kd_demo_sector kd_demo_sector_oil_gas = {
	"oil_gas", false, 2.5, 0.03, oil_gas_branches, KD_ARRAY_LEN(oil_gas_branches),
	oil_gas_jobs, KD_ARRAY_LEN(oil_gas_jobs),
};

static const kd_demo_branch smelting_branches[] = {
	{ "24202", { "PT" }, { "Nikel Industri", "Metal Smelting", "Mineral Processing",
			       "Nickel Industry", "Feronikel Indonesia" } },
};

static const kd_demo_job smelting_jobs[] = {
	{ 0, "Operator Tungku Smelter", "8121", KD_EDU_SMK, 5500, 9000,
	  { "smelter_furnace_operator", "occupational_safety" } },
	{ 0, "Operator Rotary Kiln", "8121", KD_EDU_SMK, 5500, 9000, { "kiln_operator" } },
	{ 0, "Operator Overhead Crane", "8343", KD_EDU_SMK, 5000, 8000,
	  { "overhead_crane_operator", "rigging" } },
	{ 0, "Operator Penanganan Slag", "8121", KD_EDU_SMA, 4800, 7000, { "slag_handling" } },
	{ 0, "Metalurgis", "2146", KD_EDU_S1, 9000, 16000, { "metallurgy", "nickel_processing" } },
	{ 0, "Analis Laboratorium Smelter", "3111", KD_EDU_D3, 5000, 8000,
	  { "lab_analyst", "nickel_processing" } },
	{ 0, "Penerjemah Bahasa Mandarin", "2643", KD_EDU_S1, 6000, 12000,
	  { "mandarin_language", "translation" } },
	{ 0, "Mekanik Pabrik Smelter", "7233", KD_EDU_SMK, 5500, 8500,
	  { "plant_maintenance_mechanic", "hydraulics" } },
	{ 0, "Teknisi Listrik Smelter", "7412", KD_EDU_SMK, 6000, 9000, { "industrial_electrical" } },
};

const kd_demo_sector kd_demo_sector_smelting = {
	"smelting", false, 5.0, 0.02, smelting_branches, KD_ARRAY_LEN(smelting_branches),
	smelting_jobs, KD_ARRAY_LEN(smelting_jobs),
};

static const kd_demo_branch plantation_branches[] = {
	{ "01262", { "PT" }, { "Sawit Lestari", "Agro Makmur", "Palma Sejahtera", "Sawit Nusantara",
			       "Agro Lestari", "Perkebunan Jaya" } },
	{ "10431", { "PT" }, { "Palm Oil Mill", "Minyak Sawit", "Agro Industri", "Sawit Olah" } },
	{ "01291", { "PT", "Koperasi" }, { "Karet Lestari", "Getah Makmur", "Karet Sejahtera" } },
};

static const kd_demo_job plantation_jobs[] = {
	{ 0, "Pemanen Sawit", "9211", KD_EDU_NONE, 3000, 4500, { "oil_palm_harvesting" } },
	{ 0, "Tenaga Perawatan Kebun", "9211", KD_EDU_NONE, 2900, 3900,
	  { "oil_palm_upkeep", "fertilizer_application" } },
	{ 0, "Tenaga Semprot", "9211", KD_EDU_SD, 3000, 4000, { "pesticide_spraying" } },
	{ 0, "Mandor Panen", "3142", KD_EDU_SMA, 4500, 6500,
	  { "plantation_foreman", "oil_palm_harvesting" } },
	{ 0, "Krani Panen", "4321", KD_EDU_SMA, 3900, 5000, { "harvest_clerk", "office_software" } },
	{ 0, "Asisten Afdeling", "1311", KD_EDU_S1, 7000, 12000,
	  { "plantation_agronomy", "leadership" } },
	{ 0, "Pekerja Pembibitan", "9211", KD_EDU_SD, 2900, 3800, { "oil_palm_nursery" } },
	{ 0, "Pemuat TBS", "9333", KD_EDU_SD, 3000, 4200, { "fruit_bunch_loading" } },
	{ 1, "Operator Pabrik Kelapa Sawit", "8160", KD_EDU_SMK, 4200, 6500,
	  { "palm_oil_mill_operator" } },
	{ 1, "Operator Boiler", "8182", KD_EDU_SMK, 4500, 7000, { "boiler_operator" } },
	{ 1, "Operator Jembatan Timbang", "4321", KD_EDU_SMA, 3900, 5000, { "weighbridge_operator" } },
	{ 1, "Analis Laboratorium PKS", "3111", KD_EDU_D3, 4500, 6500,
	  { "lab_analyst", "quality_control" } },
	{ 2, "Penyadap Karet", "9211", KD_EDU_NONE, 2800, 3800, { "rubber_tapping" } },
	{ 2, "Mandor Sadap", "3142", KD_EDU_SMA, 4000, 5500,
	  { "plantation_foreman", "rubber_tapping" } },
};

const kd_demo_sector kd_demo_sector_plantation = {
	"plantation", false, 3.0, 0.02, plantation_branches, KD_ARRAY_LEN(plantation_branches),
	plantation_jobs, KD_ARRAY_LEN(plantation_jobs),
};

static const kd_demo_branch fisheries_branches[] = {
	{ "03111", { "UD", "CV" }, { "Bahari", "Samudra", "Mina Bahari", "Nelayan Jaya" } },
	{ "03221", { "UD", "CV", "Koperasi" }, { "Mina Lestari", "Tambak Makmur", "Budidaya Mandiri" } },
	{ "10211", { "UD", "CV" }, { "Olahan Ikan", "Hasil Laut", "Ikan Asin Jaya" } },
	{ "30111", { "UD" }, { "Galangan Perahu", "Kapal Kayu" } },
};

static const kd_demo_job fisheries_jobs[] = {
	{ 0, "Anak Buah Kapal Ikan", "6222", KD_EDU_NONE, 2800, 4500,
	  { "fishing_boat_crew", "capture_fishing" } },
	{ 0, "Nelayan Jaring", "6222", KD_EDU_NONE, 2500, 4000, { "net_fishing", "capture_fishing" } },
	{ 0, "Penangkap Kepiting", "6222", KD_EDU_NONE, 2500, 4000, { "crab_catching" } },
	{ 0, "Petugas Tempat Pelelangan Ikan", "4321", KD_EDU_SMA, 3500, 4800,
	  { "fish_auction", "fresh_fish_handling" } },
	{ 0, "Mekanik Mesin Perahu", "7233", KD_EDU_SMK, 3800, 5500, { "boat_engine_repair" } },
	{ 1, "Pekerja Tambak Udang", "6221", KD_EDU_SD, 2800, 4200, { "shrimp_pond_farming" } },
	{ 1, "Teknisi Budidaya Ikan", "6221", KD_EDU_SMK, 3800, 5500,
	  { "freshwater_aquaculture", "fish_feed_making" } },
	{ 1, "Pekerja Keramba", "6221", KD_EDU_SD, 2800, 4000, { "fish_cage_culture" } },
	{ 1, "Petani Rumput Laut", "6221", KD_EDU_SD, 2600, 3800, { "seaweed_farming" } },
	{ 2, "Pekerja Pengolahan Ikan", "7511", KD_EDU_SMP, 2900, 4000,
	  { "fish_processing", "food_hygiene" } },
	{ 2, "Pengasin Ikan", "7511", KD_EDU_SD, 2800, 3600, { "fish_salting_drying" } },
	{ 2, "Penyortir Ikan", "9329", KD_EDU_SD, 2800, 3600, { "fresh_fish_handling" } },
	{ 3, "Tukang Perahu", "7115", KD_EDU_SD, 3200, 4500, { "wooden_boat_building", "carpentry" } },
};

const kd_demo_sector kd_demo_sector_fisheries = {
	"fisheries", false, 1.5, 0.04, fisheries_branches, KD_ARRAY_LEN(fisheries_branches),
	fisheries_jobs, KD_ARRAY_LEN(fisheries_jobs),
};

static const kd_demo_branch agriculture_branches[] = {
	{ "01122", { "Kelompok Tani", "UD" }, { "Makmur", "Subur", "Tani Jaya", "Sejahtera" } },
	{ "01461", { "UD", "CV" }, { "Poultry", "Unggas Mandiri", "Ternak Jaya" } },
	{ "01411", { "UD", "CV" }, { "Ternak Sapi", "Lembu Makmur", "Peternakan Mandiri" } },
	{ "01131", { "UD", "Kelompok Tani" }, { "Hortikultura", "Sayur Segar", "Agro Lestari" } },
};

static const kd_demo_job agriculture_jobs[] = {
	{ 0, "Buruh Tani Padi", "9211", KD_EDU_NONE, 2500, 3500, { "rice_farming" } },
	{ 0, "Operator Traktor", "8341", KD_EDU_SMP, 3200, 4500,
	  { "tractor_operator", "farm_machinery_maintenance" } },
	{ 0, "Penyuluh Pertanian Swadaya", "2132", KD_EDU_D3, 3500, 5000, { "agricultural_extension" } },
	{ 1, "Pekerja Kandang Ayam", "9212", KD_EDU_SD, 2800, 3600, { "poultry_farming" } },
	{ 2, "Pekerja Peternakan Sapi", "9212", KD_EDU_SD, 2800, 3800, { "cattle_farming" } },
	{ 2, "Pekerja Peternakan Kambing", "9212", KD_EDU_SD, 2600, 3500, { "goat_farming" } },
	{ 3, "Petani Sayur", "6111", KD_EDU_SD, 2700, 3600, { "vegetable_farming", "composting" } },
	{ 3, "Teknisi Hidroponik", "6113", KD_EDU_SMK, 3200, 4200, { "hydroponics" } },
	{ 3, "Pekerja Budidaya Jamur", "6113", KD_EDU_SMP, 2700, 3500, { "mushroom_farming" } },
	{ 3, "Peternak Lebah Kelulut", "6123", KD_EDU_SMP, 2700, 3800, { "beekeeping" } },
	{ 3, "Pekerja Kebun Buah", "9211", KD_EDU_SD, 2600, 3500, { "fruit_farming" } },
};

const kd_demo_sector kd_demo_sector_agriculture = {
	"agriculture", true, 1.0, 0.05, agriculture_branches, KD_ARRAY_LEN(agriculture_branches),
	agriculture_jobs, KD_ARRAY_LEN(agriculture_jobs),
};
