/* The one builder of the named results the .Call routines return. */
#ifndef EVMIRNA_RLIST_H
#define EVMIRNA_RLIST_H
#include <Rinternals.h>

/* A named list of n entries given as name, value pairs:
 * named_list(2, "values", v, "target", t). Each value must already be
 * protected by the caller (or be a fresh scalar made in the argument list
 * of this call: the list is allocated before the arguments are read, so
 * pass only protected values); returned unprotected. */
SEXP named_list(int n, ...);

/* Sets the column names of matrix m (protected) to the n given names. */
void set_colnames(SEXP m, const char *const *names, int n);

#endif
