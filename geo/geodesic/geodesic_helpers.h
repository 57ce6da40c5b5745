#ifndef ECOATLAS_GEODESIC_HELPERS_H
#define ECOATLAS_GEODESIC_HELPERS_H

#include <stddef.h>

/* wgs84_init sets up the one ellipsoid every other helper reads. */
void wgs84_init(double a, double f);

/* inverse_result is the solution of the inverse problem. */
typedef struct {
  double s12, azi1, azi2;
} inverse_result;

/* wgs84_inverse solves the inverse problem between two points. */
inverse_result wgs84_inverse(double lat1, double lon1, double lat2,
                             double lon2);

/* direct_result is the point the direct problem reaches. */
typedef struct {
  double lat2, lon2;
} direct_result;

/* wgs84_direct solves the direct problem; unroll keeps the longitude
 * continuous with lon1 instead of reducing it to [-180, 180). */
direct_result wgs84_direct(double lat1, double lon1, double azi1, double s12,
                           int unroll);

/* wgs84_line_length returns the length of an open path of n points given
 * as interleaved lon, lat pairs. */
double wgs84_line_length(const double *lonlat, size_t n);

/* ring_result is a ring's signed area (counter-clockwise positive) and
 * perimeter. */
typedef struct {
  double area, perimeter;
} ring_result;

/* wgs84_ring measures the closed ring of n points given as lon, lat
 * pairs. */
ring_result wgs84_ring(const double *lonlat, size_t n);

/* wgs84_between writes the parts-1 points that split the geodesic from
 * point 1 to point 2 into equal parts, as lon, lat pairs. */
void wgs84_between(double lat1, double lon1, double lat2, double lon2,
                   int parts, double *lonlat);

#endif
