/*
 * Sectors that build, make, move and serve: construction, manufacturing,
 * logistics, hospitality, office work, IT, care, retail and the trades.
 */
#include "demo/sectors_data.h"

#include "kd.h"

static const kd_demo_branch construction_branches[] = {
	{ "41011", { "PT", "CV" }, { "Konstruksi", "Cipta Sejahtera", "Graha Konstruksi",
				     "Persada Konstruksi", "Griya Konstruksi" } },
	{ "42101", { "PT", "CV" }, { "Jalan Raya", "Infrastruktur", "Marga Konstruksi" } },
};

static const kd_demo_job construction_jobs[] = {
	{ 0, "Tukang Batu", "7112", KD_EDU_SD, 3200, 4800, { "bricklaying" } },
	{ 0, "Tukang Kayu", "7115", KD_EDU_SD, 3300, 5000, { "carpentry" } },
	{ 0, "Tukang Besi Beton", "7114", KD_EDU_SD, 3300, 5000, { "rebar_fixing", "concrete_work" } },
	{ 0, "Tukang Cat", "7131", KD_EDU_SD, 3200, 4500, { "building_painting" } },
	{ 0, "Tukang Keramik", "7122", KD_EDU_SD, 3300, 4800, { "tiling" } },
	{ 0, "Tukang Baja Ringan", "7214", KD_EDU_SMP, 3500, 5000, { "light_steel_framing" } },
	{ 0, "Pelaksana Lapangan", "3123", KD_EDU_D3, 6000, 10000,
	  { "site_supervision", "civil_engineering" } },
	{ 0, "Drafter Sipil", "3118", KD_EDU_D3, 4500, 7000, { "civil_drafting" } },
	{ 0, "Quantity Surveyor", "3112", KD_EDU_S1, 6500, 11000, { "quantity_surveying" } },
	{ 0, "Scaffolder", "7119", KD_EDU_SMP, 4200, 6500, { "scaffolding", "occupational_safety" } },
	{ 0, "Operator Crane", "8343", KD_EDU_SMA, 6000, 11000, { "crane_operator", "rigging" } },
	{ 1, "Pekerja Jalan", "9312", KD_EDU_SD, 3100, 4200, { "road_construction" } },
	{ 1, "Operator Vibro Roller", "8342", KD_EDU_SMA, 5000, 8000, { "roller_compactor_operator" } },
	{ 1, "Juru Ukur", "3112", KD_EDU_SMK, 4500, 7500, { "land_surveying" } },
	{ 1, "Pengawas Lapangan Jalan", "3123", KD_EDU_D3, 6000, 10000,
	  { "site_supervision", "road_construction" } },
};

const kd_demo_sector kd_demo_sector_construction = {
	"construction", true, 2.0, 0.03, construction_branches, KD_ARRAY_LEN(construction_branches),
	construction_jobs, KD_ARRAY_LEN(construction_jobs),
};

static const kd_demo_branch manufacturing_branches[] = {
	{ "10710", { "CV", "UD" }, { "Roti", "Bakery", "Kue Nusantara" } },
	{ "10799", { "CV", "PT" }, { "Pangan", "Food Industri", "Boga Pangan" } },
	{ "16101", { "PT", "CV" }, { "Kayu", "Timber", "Wood Industri" } },
	{ "31001", { "UD", "CV" }, { "Mebel", "Furniture", "Jati Mebel" } },
	{ "14111", { "Konveksi" }, { "Busana", "Jahit", "Garmen" } },
	{ "16291", { "Sanggar", "UD" }, { "Kriya", "Anyaman", "Rotan" } },
};

static const kd_demo_job manufacturing_jobs[] = {
	{ 0, "Tukang Roti", "7512", KD_EDU_SMP, 3000, 4000, { "baking", "food_hygiene" } },
	{ 1, "Operator Produksi Makanan", "8160", KD_EDU_SMA, 3200, 4200,
	  { "food_processing", "product_packaging" } },
	{ 1, "Staf Quality Control", "3119", KD_EDU_D3, 4200, 6000, { "quality_control", "lab_analyst" } },
	{ 1, "Pengemas Produk", "9321", KD_EDU_SMP, 3000, 3700, { "product_packaging" } },
	{ 1, "Mekanik Pabrik", "7233", KD_EDU_SMK, 4200, 6500, { "plant_maintenance_mechanic" } },
	{ 1, "Staf PPIC", "4322", KD_EDU_D3, 4500, 6500, { "production_planning" } },
	{ 2, "Operator Sawmill", "8172", KD_EDU_SMP, 3500, 5000, { "sawmilling", "chainsaw_operator" } },
	{ 2, "Operator Mesin Produksi", "8172", KD_EDU_SMA, 3500, 5000,
	  { "production_machine_operator" } },
	{ 3, "Tukang Mebel", "7522", KD_EDU_SMP, 3300, 4800, { "furniture_making", "carpentry" } },
	{ 4, "Penjahit", "7533", KD_EDU_SMP, 2900, 3800, { "sewing" } },
	{ 5, "Perajin Anyaman", "7317", KD_EDU_SD, 2600, 3400, { "handicraft" } },
};

const kd_demo_sector kd_demo_sector_manufacturing = {
	"manufacturing", false, 1.5, 0.08, manufacturing_branches,
	KD_ARRAY_LEN(manufacturing_branches), manufacturing_jobs, KD_ARRAY_LEN(manufacturing_jobs),
};

static const kd_demo_branch logistics_branches[] = {
	{ "49431", { "PT", "CV" }, { "Logistik", "Ekspres Cargo", "Angkutan Jaya", "Transport" } },
	{ "50221", { "PT" }, { "Pelayaran", "Marine", "Samudra Pelayaran", "Tug and Barge" } },
	{ "52101", { "PT" }, { "Pergudangan", "Depo Logistik", "Warehouse" } },
	{ "52240", { "PT", "Koperasi" }, { "Bongkar Muat", "Jasa Pelabuhan", "Terminal" } },
	{ "50211", { "CV" }, { "Speedboat", "Angkutan Sungai", "Taksi Air" } },
	{ "53201", { "CV" }, { "Kurir", "Ekspres", "Kilat" } },
};

static const kd_demo_job logistics_jobs[] = {
	{ 0, "Pengemudi Truk", "8332", KD_EDU_SMP, 4000, 6500, { "truck_driving_b2" } },
	{ 0, "Pengemudi Trailer", "8332", KD_EDU_SMP, 5000, 8000,
	  { "trailer_driving", "truck_driving_b2" } },
	{ 0, "Admin Logistik", "4323", KD_EDU_SMA, 3900, 5200,
	  { "logistics_administration", "office_software" } },
	{ 1, "Nakhoda Kapal Tunda", "3152", KD_EDU_SMA, 9000, 18000,
	  { "ship_master", "seafarer_basic_safety" } },
	{ 1, "Mualim", "3152", KD_EDU_D3, 8000, 14000, { "deck_officer", "seafarer_basic_safety" } },
	{ 1, "Juru Mudi", "8350", KD_EDU_SMP, 4500, 7000, { "ship_helmsman", "seafarer_basic_safety" } },
	{ 1, "Anak Buah Kapal Tongkang", "8350", KD_EDU_SMP, 4000, 6000,
	  { "tug_barge_crew", "seafarer_basic_safety" } },
	{ 1, "Juru Mesin Kapal", "3151", KD_EDU_SMK, 6000, 11000,
	  { "ship_engine_crew", "seafarer_basic_safety" } },
	{ 2, "Staf Gudang", "4321", KD_EDU_SMA, 3800, 5000, { "warehousing", "inventory_control" } },
	{ 2, "Operator Forklift", "8344", KD_EDU_SMA, 4200, 6000, { "forklift_operator" } },
	{ 3, "Buruh Bongkar Muat", "9333", KD_EDU_SD, 3000, 4500, { "cargo_handling" } },
	{ 3, "Operator Jetty", "8189", KD_EDU_SMK, 5000, 8000, { "port_operations" } },
	{ 4, "Motoris Speedboat", "8350", KD_EDU_SMP, 3500, 5000, { "speedboat_operator" } },
	{ 5, "Kurir", "9621", KD_EDU_SMA, 3000, 4200, { "motorcycle_courier", "motorcycle_riding" } },
};

const kd_demo_sector kd_demo_sector_logistics = {
	"logistics", true, 2.0, 0.05, logistics_branches, KD_ARRAY_LEN(logistics_branches),
	logistics_jobs, KD_ARRAY_LEN(logistics_jobs),
};

static const kd_demo_branch hospitality_branches[] = {
	{ "55110", { "Hotel" }, { "Permai", "Indah", "Residence", "Inn", "Asri", "Kencana" } },
	{ "56101", { "Rumah Makan", "Warung Makan" }, { "Sederhana", "Selera", "Nikmat", "Sari Rasa" } },
	{ "56303", { "Kedai Kopi", "Kafe" }, { "Senja", "Teduh", "Seduh", "Ruang Temu" } },
	{ "56210", { "CV", "PT" }, { "Boga Catering", "Katering Utama", "Camp Services" } },
	{ "79120", { "CV" }, { "Wisata", "Tour and Travel", "Wisata Tepian" } },
};

static const kd_demo_job hospitality_jobs[] = {
	{ 0, "Resepsionis Hotel", "4224", KD_EDU_SMA, 3800, 5000,
	  { "hotel_receptionist", "english_language" } },
	{ 0, "Room Attendant", "9112", KD_EDU_SMA, 3500, 4500, { "housekeeping" } },
	{ 0, "Petugas Laundry", "9121", KD_EDU_SMP, 3300, 4000, { "laundry" } },
	{ 1, "Juru Masak", "5120", KD_EDU_SMK, 3800, 6000, { "cooking", "food_hygiene" } },
	{ 1, "Pramusaji", "5131", KD_EDU_SMA, 3500, 4300, { "waiting_staff" } },
	{ 1, "Pembantu Dapur", "9412", KD_EDU_SMP, 3300, 4000, { "kitchen_helper" } },
	{ 2, "Barista", "5132", KD_EDU_SMA, 3400, 4500, { "barista" } },
	{ 2, "Kasir Kafe", "5230", KD_EDU_SMA, 3300, 4200, { "cashier" } },
	{ 3, "Juru Masak Katering", "5120", KD_EDU_SMK, 3800, 5500, { "cooking", "catering" } },
	{ 3, "Staf Mess Karyawan", "5151", KD_EDU_SMA, 4000, 6000,
	  { "staff_camp_management", "housekeeping" } },
	{ 4, "Pemandu Wisata", "5113", KD_EDU_SMA, 3000, 4500, { "tour_guiding", "english_language" } },
	{ 4, "Pengelola Homestay", "1411", KD_EDU_SMA, 3000, 4500, { "homestay_management" } },
	{ 4, "Staf Event Organizer", "3332", KD_EDU_D3, 3800, 5500, { "event_organising" } },
};

const kd_demo_sector kd_demo_sector_hospitality = {
	"hospitality", true, 1.0, 0.10, hospitality_branches, KD_ARRAY_LEN(hospitality_branches),
	hospitality_jobs, KD_ARRAY_LEN(hospitality_jobs),
};

static const kd_demo_branch office_branches[] = {
	{ "82110", { "PT", "CV" }, { "Solusi Bisnis", "Jasa Administrasi", "Sarana Kantor" } },
	{ "69201", { "Kantor Jasa Akuntansi" }, { "dan Rekan", "Konsultan", "Akuntansi" } },
	{ "94990", { "Yayasan" }, { "Peduli Desa", "Pemberdayaan Masyarakat", "Mandiri Sejahtera" } },
};

static const kd_demo_job office_jobs[] = {
	{ 0, "Staf Administrasi", "4110", KD_EDU_SMA, 3800, 5000,
	  { "office_administration", "office_software" } },
	{ 0, "Sekretaris", "3343", KD_EDU_D3, 4200, 6000, { "secretarial_work", "office_software" } },
	{ 0, "Staf Personalia", "4416", KD_EDU_D3, 4500, 6500, { "human_resources", "payroll" } },
	{ 0, "Operator Entri Data", "4132", KD_EDU_SMA, 3700, 4500, { "data_entry" } },
	{ 0, "Customer Service", "4222", KD_EDU_SMA, 3800, 5000, { "customer_service", "communication" } },
	{ 0, "Staf Pengadaan", "3323", KD_EDU_D3, 4500, 7000, { "procurement" } },
	{ 0, "Staf Legal", "3411", KD_EDU_S1, 5500, 9000, { "legal_permits" } },
	{ 0, "Arsiparis", "4415", KD_EDU_SMA, 3700, 4500, { "records_management" } },
	{ 1, "Staf Akuntansi", "3313", KD_EDU_D3, 4500, 7000, { "accounting", "office_software" } },
	{ 1, "Staf Pajak", "3313", KD_EDU_S1, 5000, 8000, { "taxation", "accounting" } },
	{ 1, "Staf Keuangan", "4311", KD_EDU_D3, 4200, 6000, { "finance_administration" } },
	{ 2, "Petugas Pengembangan Masyarakat", "2635", KD_EDU_S1, 5500, 9000,
	  { "community_development", "communication" } },
};

const kd_demo_sector kd_demo_sector_office = {
	"office", true, 1.0, 0.20, office_branches, KD_ARRAY_LEN(office_branches),
	office_jobs, KD_ARRAY_LEN(office_jobs),
};

static const kd_demo_branch it_branches[] = {
	{ "62019", { "PT", "CV" }, { "Teknologi", "Solusi Digital", "Infotama", "Data Sistem" } },
	{ "95110", { "CV", "Toko" }, { "Komputer", "Computer Service", "Teknik Komputer" } },
	{ "73100", { "CV" }, { "Kreatif", "Media Kreasi", "Studio Desain" } },
};

static const kd_demo_job it_jobs[] = {
	{ 0, "Programmer Web", "2513", KD_EDU_S1, 5500, 10000,
	  { "web_programming", "database_administration" } },
	{ 0, "Pengembang Aplikasi Android", "2514", KD_EDU_S1, 6000, 11000, { "mobile_app_development" } },
	{ 0, "Staf IT Support", "3512", KD_EDU_D3, 4200, 6500, { "it_support", "computer_networking" } },
	{ 0, "Analis Data", "2120", KD_EDU_S1, 6000, 11000, { "data_analysis" } },
	{ 0, "Staf GIS", "2165", KD_EDU_S1, 5500, 9000, { "gis_mapping" } },
	{ 1, "Teknisi Jaringan", "3513", KD_EDU_SMK, 4200, 6500, { "computer_networking" } },
	{ 1, "Teknisi Komputer", "7422", KD_EDU_SMK, 3500, 5000, { "computer_repair" } },
	{ 1, "Teknisi CCTV", "7422", KD_EDU_SMK, 3600, 5200, { "cctv_installation" } },
	{ 2, "Desainer Grafis", "2166", KD_EDU_D3, 4000, 6500, { "graphic_design" } },
	{ 2, "Admin Media Sosial", "2431", KD_EDU_D3, 3800, 5500, { "social_media_management" } },
	{ 2, "Editor Video", "3521", KD_EDU_D3, 4000, 6000, { "video_editing" } },
};

const kd_demo_sector kd_demo_sector_it = {
	"it", false, 1.0, 0.25, it_branches, KD_ARRAY_LEN(it_branches), it_jobs, KD_ARRAY_LEN(it_jobs),
};

static const kd_demo_branch care_branches[] = {
	{ "86103", { "Rumah Sakit" }, { "Medika", "Husada", "Medika Keluarga", "Bunda Sehat" } },
	{ "86104", { "Klinik" }, { "Pratama Sehat", "Medika", "Husada", "Sentosa" } },
	{ "88911", { "Tempat Penitipan Anak" }, { "Ceria", "Buah Hati", "Pelangi" } },
	{ "88101", { "Yayasan" }, { "Kasih Lansia", "Peduli Sesama", "Werdha Sejahtera" } },
	{ "47721", { "Apotek" }, { "Sehat Sentosa", "Bunda", "Medika", "Keluarga" } },
};

static const kd_demo_job care_jobs[] = {
	{ 0, "Perawat", "3221", KD_EDU_D3, 4500, 7000, { "nursing", "first_aid" } },
	{ 0, "Bidan", "3222", KD_EDU_D3, 4500, 6500, { "midwifery" } },
	{ 0, "Analis Laboratorium Medis", "3212", KD_EDU_D3, 4200, 6000, { "medical_laboratory" } },
	{ 0, "Ahli Gizi", "2265", KD_EDU_D3, 4200, 6000, { "nutrition" } },
	{ 0, "Fisioterapis", "2264", KD_EDU_D3, 4500, 6500, { "physiotherapy" } },
	{ 1, "Perawat Klinik", "3221", KD_EDU_D3, 4000, 6000, { "nursing" } },
	{ 1, "Paramedis Perusahaan", "3221", KD_EDU_D3, 5500, 8500,
	  { "occupational_health", "first_aid" } },
	{ 1, "Petugas Promosi Kesehatan", "3253", KD_EDU_D3, 3800, 5000, { "public_health" } },
	{ 2, "Pengasuh Anak", "5311", KD_EDU_SMA, 3000, 4000, { "childcare" } },
	{ 2, "Guru PAUD", "2342", KD_EDU_S1, 2800, 4000, { "early_childhood_education", "teaching" } },
	{ 3, "Pendamping Lansia", "5322", KD_EDU_SMA, 3200, 4200, { "elderly_care" } },
	{ 3, "Pendamping Penyandang Disabilitas", "5322", KD_EDU_SMA, 3200, 4200,
	  { "disability_support", "sign_language" } },
	{ 4, "Tenaga Teknis Kefarmasian", "3213", KD_EDU_D3, 3800, 5000, { "pharmacy" } },
};

const kd_demo_sector kd_demo_sector_care = {
	"care", true, 1.2, 0.15, care_branches, KD_ARRAY_LEN(care_branches),
	care_jobs, KD_ARRAY_LEN(care_jobs),
};

static const kd_demo_branch retail_branches[] = {
	{ "47111", { "Toko", "Swalayan" }, { "Mart", "Jaya", "Makmur", "Serba Ada" } },
	{ "47300", { "PT" }, { "Energi Niaga", "Petro Niaga", "Energi Utama" } },
	{ "45302", { "Toko" }, { "Motor", "Jaya Motor", "Sparepart" } },
	{ "46900", { "CV", "PT" }, { "Distribusi", "Niaga", "Sentosa Distribusi" } },
};

static const kd_demo_job retail_jobs[] = {
	{ 0, "Kasir", "5230", KD_EDU_SMA, 3200, 4000, { "cashier" } },
	{ 0, "Pramuniaga", "5223", KD_EDU_SMA, 3100, 3900, { "shop_assistant", "merchandising" } },
	{ 0, "Kepala Toko", "5222", KD_EDU_D3, 4500, 6500, { "store_management", "leadership" } },
	{ 1, "Operator SPBU", "5245", KD_EDU_SMA, 3200, 4000, { "fuel_station_attendant" } },
	{ 2, "Penjual Suku Cadang", "5223", KD_EDU_SMA, 3200, 4200, { "spare_parts_sales" } },
	{ 3, "Sales Lapangan", "3322", KD_EDU_SMA, 3500, 6000, { "sales", "motorcycle_riding" } },
	{ 3, "Admin Penjualan Online", "5244", KD_EDU_SMA, 3300, 4500,
	  { "online_selling", "social_media_management" } },
	{ 3, "Staf Pemasaran", "2431", KD_EDU_S1, 4500, 7000, { "marketing" } },
};

const kd_demo_sector kd_demo_sector_retail = {
	"retail", true, 1.0, 0.20, retail_branches, KD_ARRAY_LEN(retail_branches),
	retail_jobs, KD_ARRAY_LEN(retail_jobs),
};

static const kd_demo_branch trades_branches[] = {
	{ "33120", { "CV", "Bengkel" }, { "Teknik", "Mesin", "Teknik Mandiri" } },
	{ "45201", { "Bengkel" }, { "Motor", "Auto Service", "Mobil" } },
	{ "43211", { "CV" }, { "Elektrik", "Listrik Mandiri", "Teknik Elektro" } },
	{ "25111", { "CV", "PT" }, { "Fabrikasi", "Baja Teknik", "Steel" } },
	{ "95210", { "Toko", "CV" }, { "Elektronik", "Service Center", "Servis" } },
};

static const kd_demo_job trades_jobs[] = {
	{ 0, "Operator Bubut", "7223", KD_EDU_SMK, 4000, 6500, { "lathe_machining" } },
	{ 0, "Mekanik Diesel", "7233", KD_EDU_SMK, 4500, 7500,
	  { "diesel_mechanic", "generator_set_maintenance" } },
	{ 0, "Teknisi Hidrolik", "7233", KD_EDU_SMK, 4500, 7500, { "hydraulics" } },
	{ 1, "Mekanik Mobil", "7231", KD_EDU_SMK, 3800, 5500, { "automotive_mechanic" } },
	{ 1, "Mekanik Sepeda Motor", "7231", KD_EDU_SMK, 3000, 4200, { "motorcycle_mechanic" } },
	{ 2, "Teknisi Listrik", "7411", KD_EDU_SMK, 4000, 6500, { "building_electrical_installation" } },
	{ 2, "Teknisi Listrik Industri", "7412", KD_EDU_SMK, 5000, 8500, { "industrial_electrical" } },
	{ 2, "Teknisi AC", "7127", KD_EDU_SMK, 3700, 5200, { "air_conditioning_technician" } },
	{ 2, "Tukang Ledeng", "7126", KD_EDU_SMP, 3300, 4500, { "plumbing" } },
	{ 3, "Welder", "7212", KD_EDU_SMK, 4500, 8000, { "welding", "occupational_safety" } },
	{ 3, "Welder TIG", "7212", KD_EDU_SMK, 5000, 9000, { "tig_welding", "welding" } },
	{ 3, "Fabrikator", "7214", KD_EDU_SMK, 4500, 7000, { "metal_fabrication", "welding" } },
	{ 4, "Teknisi Elektronik", "7421", KD_EDU_SMK, 3300, 4500, { "electronics_repair" } },
	{ 4, "Teknisi Servis Ponsel", "7421", KD_EDU_SMK, 3000, 4200, { "mobile_phone_repair" } },
};

const kd_demo_sector kd_demo_sector_trades = {
	"trades", true, 1.2, 0.08, trades_branches, KD_ARRAY_LEN(trades_branches),
	trades_jobs, KD_ARRAY_LEN(trades_jobs),
};
