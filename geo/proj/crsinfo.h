#ifndef ECOATLAS_CRSINFO_H
#define ECOATLAS_CRSINFO_H

/* crs_info is what crs_inspect learns about a CRS definition. */
typedef struct {
  int ok;              /* 1 when the definition is a CRS PROJ can read */
  int type;            /* PJ_TYPE of the CRS (of its base for a bound CRS) */
  char name[256];      /* the CRS's name, or the identified entry's name */
  char authority[32];  /* "EPSG" when identified, else empty */
  char code[32];       /* the authority's code, else empty */
  char message[512];   /* why ok is 0 */
} crs_info;

/* crs_inspect reads definition (an authority code, WKT of any dialect, a
 * PROJ string or PROJJSON) in a context of its own, and identifies it
 * against the EPSG database when the text carries no ID. */
void crs_inspect(const char *definition, int is_wkt, crs_info *out);

#endif
