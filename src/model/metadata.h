/* TFLite Metadata: the model's "TFLITE_METADATA" entry (a flatbuffer with
 * identifier "M001", schema metadata_schema.fbs) walked once into the plain
 * structs of tfl.h, plus the ZIP archive of associated files. */
#ifndef TFL_MODEL_METADATA_H
#define TFL_MODEL_METADATA_H

#include "model/zip.h"
#include "tfl.h"

/* Field indices of the metadata schema (a union takes two slots: type, value). */
enum {
    TFL__MD_MODEL_NAME = 0,
    TFL__MD_MODEL_DESCRIPTION = 1,
    TFL__MD_MODEL_VERSION = 2,
    TFL__MD_MODEL_SUBGRAPHS = 3,
    TFL__MD_MODEL_AUTHOR = 4,
    TFL__MD_MODEL_LICENSE = 5,
    TFL__MD_MODEL_FILES = 6,
    TFL__MD_MODEL_MIN_PARSER_VERSION = 7
};

struct tfl_metadata {
    int has_entry;
    const char *name, *description, *version, *author, *license, *min_parser_version;
    int num_files;
    const tfl_associated_file *files;
    int num_subgraphs;
    const tfl_subgraph_metadata *subgraphs;
    tfl__zip zip;
    void *blocks; /* every array above, freed together */
};

#endif
