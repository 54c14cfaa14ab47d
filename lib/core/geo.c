#include "core/geo.h"

#include <math.h>

static double radians(double deg)
{
	return deg * (M_PI / 180.0);
}

double kd_geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = radians(lat2 - lat1);
	double dlon = radians(lon2 - lon1);
	double s = sin(dlat / 2) * sin(dlat / 2) +
		   cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) * sin(dlon / 2);
	/* Rounding can push s a hair above 1 for antipodal points. */
	if (s > 1.0)
		s = 1.0;
	return 2.0 * KD_EARTH_RADIUS_KM * asin(sqrt(s));
}

bool kd_geo_valid(double lat, double lon)
{
	return isfinite(lat) && isfinite(lon) && lat >= -90.0 && lat <= 90.0 &&
	       lon >= -180.0 && lon <= 180.0;
}

kd_geo_box kd_geo_box_empty(void)
{
	return (kd_geo_box){ .min_lat = INFINITY, .max_lat = -INFINITY,
			     .min_lon = INFINITY, .max_lon = -INFINITY };
}

void kd_geo_box_extend(kd_geo_box *box, double lat, double lon)
{
	box->min_lat = fmin(box->min_lat, lat);
	box->max_lat = fmax(box->max_lat, lat);
	box->min_lon = fmin(box->min_lon, lon);
	box->max_lon = fmax(box->max_lon, lon);
}

kd_geo_box kd_geo_box_grow(kd_geo_box box, double margin_km)
{
	double dlat = margin_km / (KD_EARTH_RADIUS_KM * M_PI / 180.0);
	double widest = fmax(fabs(box.min_lat), fabs(box.max_lat));
	double dlon = dlat / fmax(cos(radians(widest)), 0.01);
	box.min_lat -= dlat;
	box.max_lat += dlat;
	box.min_lon -= dlon;
	box.max_lon += dlon;
	return box;
}

bool kd_geo_box_contains(const kd_geo_box *box, double lat, double lon)
{
	return lat >= box->min_lat && lat <= box->max_lat &&
	       lon >= box->min_lon && lon <= box->max_lon;
}
