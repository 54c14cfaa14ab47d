/*
 * Great-circle geometry on WGS84 degrees.  Pure functions, no allocation.
 */
#ifndef KD_GEO_H
#define KD_GEO_H

#include <stdbool.h>

#define KD_EARTH_RADIUS_KM 6371.0088

/* Haversine distance in kilometres between two points given in degrees. */
double kd_geo_distance_km(double lat1, double lon1, double lat2, double lon2);

/* True when lat/lon are finite and inside the valid degree ranges. */
bool kd_geo_valid(double lat, double lon);

/* Axis-aligned box in degrees; empty when min > max. */
typedef struct kd_geo_box {
	double min_lat, max_lat, min_lon, max_lon;
} kd_geo_box;

/* A box that contains nothing; extend it with kd_geo_box_extend(). */
kd_geo_box kd_geo_box_empty(void);
void kd_geo_box_extend(kd_geo_box *box, double lat, double lon);
/* Grows the box by margin_km on every side (longitude scaled at its latitude). */
kd_geo_box kd_geo_box_grow(kd_geo_box box, double margin_km);
bool kd_geo_box_contains(const kd_geo_box *box, double lat, double lon);

#endif
