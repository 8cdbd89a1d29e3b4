/* Small R-object helpers shared by the kernels' SEXP wrappers. */
#ifndef EVMIRNA_RLIST_H
#define EVMIRNA_RLIST_H
#include <Rinternals.h>

/* An unnamed list of the n given SEXPs (each must already be protected by
 * the caller); returned unprotected. */
SEXP list_of(int n, ...);

#endif
