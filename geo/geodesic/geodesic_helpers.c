#include <geodesic.h>

#include "geodesic_helpers.h"

static struct geod_geodesic wgs84;

void wgs84_init(double a, double f) { geod_init(&wgs84, a, f); }

inverse_result wgs84_inverse(double lat1, double lon1, double lat2,
                             double lon2) {
  inverse_result r;
  geod_inverse(&wgs84, lat1, lon1, lat2, lon2, &r.s12, &r.azi1, &r.azi2);
  return r;
}

direct_result wgs84_direct(double lat1, double lon1, double azi1, double s12,
                           int unroll) {
  direct_result r;
  geod_gendirect(&wgs84, lat1, lon1, azi1, unroll ? GEOD_LONG_UNROLL : 0,
                 s12, &r.lat2, &r.lon2, NULL, NULL, NULL, NULL, NULL, NULL);
  return r;
}

double wgs84_line_length(const double *lonlat, size_t n) {
  struct geod_polygon p;
  double length = 0;
  geod_polygon_init(&p, 1);
  for (size_t i = 0; i < n; i++) {
    geod_polygon_addpoint(&wgs84, &p, lonlat[2 * i + 1], lonlat[2 * i]);
  }
  geod_polygon_compute(&wgs84, &p, 0, 1, NULL, &length);
  return length;
}

ring_result wgs84_ring(const double *lonlat, size_t n) {
  struct geod_polygon p;
  ring_result r;
  geod_polygon_init(&p, 0);
  for (size_t i = 0; i < n; i++) {
    geod_polygon_addpoint(&wgs84, &p, lonlat[2 * i + 1], lonlat[2 * i]);
  }
  geod_polygon_compute(&wgs84, &p, 0, 1, &r.area, &r.perimeter);
  return r;
}

void wgs84_between(double lat1, double lon1, double lat2, double lon2,
                   int parts, double *lonlat) {
  struct geod_geodesicline line;
  geod_inverseline(&line, &wgs84, lat1, lon1, lat2, lon2, 0);
  for (int i = 1; i < parts; i++) {
    double lat, lon;
    geod_position(&line, line.s13 * i / parts, &lat, &lon, NULL);
    lonlat[2 * (i - 1)] = lon;
    lonlat[2 * (i - 1) + 1] = lat;
  }
}
