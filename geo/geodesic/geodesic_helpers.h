#ifndef ECOATLAS_GEODESIC_HELPERS_H
#define ECOATLAS_GEODESIC_HELPERS_H

#include <stddef.h>

/* wgs84_init sets up the one ellipsoid every other helper reads. */
void wgs84_init(double a, double f);

/* wgs84_inverse solves the inverse problem between two points. */
void wgs84_inverse(double lat1, double lon1, double lat2, double lon2,
                   double *s12, double *azi1, double *azi2);

/* wgs84_direct solves the direct problem; unroll keeps the longitude
 * continuous with lon1 instead of reducing it to [-180, 180). */
void wgs84_direct(double lat1, double lon1, double azi1, double s12,
                  int unroll, double *lat2, double *lon2);

/* wgs84_line_length returns the length of an open path of n points given
 * as interleaved lon, lat pairs. */
double wgs84_line_length(const double *lonlat, size_t n);

/* wgs84_ring computes the signed area (counter-clockwise positive) and the
 * perimeter of the closed ring of n points given as lon, lat pairs. */
void wgs84_ring(const double *lonlat, size_t n, double *area,
                double *perimeter);

/* wgs84_between writes the parts-1 points that split the geodesic from
 * point 1 to point 2 into equal parts, as lon, lat pairs. */
void wgs84_between(double lat1, double lon1, double lat2, double lon2,
                   int parts, double *lonlat);

#endif
