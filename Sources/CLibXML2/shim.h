#ifndef Y2A_CLIBXML2_SHIM_H
#define Y2A_CLIBXML2_SHIM_H

/* Debian builds libxml2 with ICU, so encoding.h pulls in the system's ICU headers, whose
   UErrorCode clashes with Foundation's bundled ICU in any module that sees both. Only
   xmlCharEncodingHandler's private converter fields depend on it; we never touch that struct
   (only pointers to it), so the layout of everything we use is unchanged. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>

/* Variadic C callbacks cannot be written in Swift. libxml2 prints some internal notices
   ("Unimplemented block at ...") through the generic error channel; this no-op swallows
   them. Everything that matters arrives through the structured handlers. */
static void y2a_ignore_generic_error(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

/* Per-thread in libxml2 2.9: call on every worker thread before it parses. */
static inline void y2a_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, y2a_ignore_generic_error);
}

/* Current line and column of a parser context (0 when unknown). */
static inline int y2a_parser_line(xmlParserCtxtPtr ctxt) {
    return (ctxt != NULL && ctxt->input != NULL) ? ctxt->input->line : 0;
}
static inline int y2a_parser_column(xmlParserCtxtPtr ctxt) {
    return (ctxt != NULL && ctxt->input != NULL) ? ctxt->input->col : 0;
}

#endif
