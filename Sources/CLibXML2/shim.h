#ifndef PROVSIM_CLIBXML2_SHIM_H
#define PROVSIM_CLIBXML2_SHIM_H

// Debian's xmlversion.h enables ICU, which drags the system ICU headers into the
// module and clashes with Foundation's private ICU copy ('UErrorCode' has different
// definitions). provsim never needs libxml2's ICU support, so switch it off first.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlschemastypes.h>
#include <libxml/xmlstring.h>

// xmlFree is a C global function pointer; Swift 6 rejects it as shared mutable state.
static inline void provsim_xmlFree(void *pointer) {
    xmlFree(pointer);
}

#endif
