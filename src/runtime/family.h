/* An interpreter family: the interpreter a caller creates plus one
 * interpreter per other subgraph its control-flow ops call (IF, WHILE,
 * CALL_ONCE), built on demand at op init and shared by every op that calls
 * that subgraph, as TFLite shares its Subgraph objects. The family also
 * owns what TFLite keeps per interpreter across subgraphs: the resource
 * variables (VAR_HANDLE / READ_VARIABLE / ASSIGN_VARIABLE) and CALL_ONCE's
 * done flags. The ops reach it through the functions of ops/op.h. */
#ifndef TFL_RUNTIME_FAMILY_H
#define TFL_RUNTIME_FAMILY_H

#include "ops/op.h"

typedef struct tfl__family tfl__family;

/* A family for `root`, which runs subgraph `root_index` of m; children are
 * created with `opt` (the root's options) and isa_cap, and share `pool`. */
tfl__family *tfl__family_create(const tfl_model *m, const tfl_options *opt, int isa_cap,
                                struct tfl__pool *pool, tfl_interpreter *root, int root_index);
/* Frees the children, the variables and the family (not the root). */
void tfl__family_free(tfl__family *f);
/* Marks the root as built (its ops may call other subgraphs from now on
 * without that being a cycle through the root). */
void tfl__family_root_ready(tfl__family *f, int root_index);
/* Resets the variable tensors of every child (tfl_interpreter_reset_variables). */
void tfl__family_reset_children(tfl__family *f);

/* Creates a child (interpreter.c). */
tfl_interpreter *tfl__interpreter_create_child(const tfl_model *m, const tfl_options *opt,
                                               int isa_cap, struct tfl__pool *pool,
                                               tfl__family *family, int subgraph, tfl_error *err);

#endif
