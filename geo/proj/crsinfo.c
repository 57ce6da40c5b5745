#include <proj.h>
#include <stdio.h>
#include <string.h>

#include "crsinfo.h"

static void copy(char *dst, size_t size, const char *src) {
  snprintf(dst, size, "%s", src ? src : "");
}

static void identify(PJ_CONTEXT *ctx, PJ *crs, crs_info *out) {
  int *confidence = NULL;
  PJ_OBJ_LIST *list = proj_identify(ctx, crs, "EPSG", NULL, &confidence);
  if (list == NULL) {
    return;
  }
  /* 70 and above mean equivalent definitions; the list is sorted by
   * decreasing confidence. A tie at the top is ambiguous: a PROJ string
   * on the Krassowsky ellipsoid matches Pulkovo 1942, Pulkovo 1995 and
   * Beijing 1954 alike, so none is named. */
  int count = proj_list_get_count(list);
  if (count > 0 && confidence[0] >= 70 &&
      (count == 1 || confidence[1] < confidence[0])) {
    PJ *match = proj_list_get(ctx, list, 0);
    if (match != NULL) {
      copy(out->name, sizeof out->name, proj_get_name(match));
      copy(out->authority, sizeof out->authority, proj_get_id_auth_name(match, 0));
      copy(out->code, sizeof out->code, proj_get_id_code(match, 0));
      proj_destroy(match);
    }
  }
  proj_int_list_destroy(confidence);
  proj_list_destroy(list);
}

void crs_inspect(const char *definition, int is_wkt, crs_info *out) {
  memset(out, 0, sizeof *out);
  PJ_CONTEXT *ctx = proj_context_create();
  proj_log_level(ctx, PJ_LOG_NONE);
  PJ *obj = NULL;
  if (is_wkt) {
    PROJ_STRING_LIST warnings = NULL, errors = NULL;
    obj = proj_create_from_wkt(ctx, definition, NULL, &warnings, &errors);
    if (obj == NULL && errors != NULL && errors[0] != NULL) {
      copy(out->message, sizeof out->message, errors[0]);
    }
    proj_string_list_destroy(warnings);
    proj_string_list_destroy(errors);
  } else {
    obj = proj_create(ctx, definition);
  }
  if (obj == NULL) {
    if (out->message[0] == 0) {
      copy(out->message, sizeof out->message,
           proj_context_errno_string(ctx, proj_context_errno(ctx)));
    }
    proj_context_destroy(ctx);
    return;
  }
  if (!proj_is_crs(obj)) {
    copy(out->message, sizeof out->message,
         "it is a coordinate operation, not a coordinate reference system");
    proj_destroy(obj);
    proj_context_destroy(ctx);
    return;
  }
  out->ok = 1;
  /* A bound CRS (WKT1 with TOWGS84, a PROJ string with +towgs84) carries
   * its name and ID on its base CRS. */
  PJ *crs = obj;
  out->type = proj_get_type(obj);
  if (out->type == PJ_TYPE_BOUND_CRS) {
    PJ *base = proj_get_source_crs(ctx, obj);
    if (base != NULL) {
      crs = base;
      out->type = proj_get_type(base);
    }
  }
  copy(out->name, sizeof out->name, proj_get_name(crs));
  const char *authority = proj_get_id_auth_name(crs, 0);
  if (authority != NULL) {
    copy(out->authority, sizeof out->authority, authority);
    copy(out->code, sizeof out->code, proj_get_id_code(crs, 0));
  } else {
    identify(ctx, crs, out);
  }
  if (crs != obj) {
    proj_destroy(crs);
  }
  proj_destroy(obj);
  proj_context_destroy(ctx);
}
