/*
 * The sector profiles, defined in sectors_*.c and looked up by name in
 * sectors.c.  Internal to lib/demo.
 */
#ifndef KD_DEMO_SECTORS_DATA_H
#define KD_DEMO_SECTORS_DATA_H

#include "demo/sectors.h"

extern const kd_demo_sector kd_demo_sector_mining;
extern const kd_demo_sector kd_demo_sector_oil_gas;
extern const kd_demo_sector kd_demo_sector_smelting;
extern const kd_demo_sector kd_demo_sector_plantation;
extern const kd_demo_sector kd_demo_sector_fisheries;
extern const kd_demo_sector kd_demo_sector_agriculture;

extern const kd_demo_sector kd_demo_sector_construction;
extern const kd_demo_sector kd_demo_sector_manufacturing;
extern const kd_demo_sector kd_demo_sector_logistics;
extern const kd_demo_sector kd_demo_sector_hospitality;
extern const kd_demo_sector kd_demo_sector_office;
extern const kd_demo_sector kd_demo_sector_it;
extern const kd_demo_sector kd_demo_sector_care;
extern const kd_demo_sector kd_demo_sector_retail;
extern const kd_demo_sector kd_demo_sector_trades;

#endif
