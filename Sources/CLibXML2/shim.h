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

/* Stops the parser from inside a SAX callback WITHOUT freeing its input.

   xmlStopParser (2.9.14) calls xmlHaltParser, which frees the input buffer at once. When the
   schema validator is plugged in (xmlSchemaValidateStream), its own start-element, characters
   and CDATA handlers run right AFTER ours with the same pointers into that buffer (attribute
   values, text runs): stopping there was a use-after-free, a segfault once the freed buffer
   was large enough to be unmapped (a 3 MB attribute). This sets the same flags the parser
   checks after every callback (instate EOF, SAX disabled, errNo USER_STOP) and leaves the
   buffers to be freed with the context; the caller also stops feeding bytes, so whatever is
   still buffered is the most the parser can go on scanning. */
static inline void y2a_stop_parser_in_callback(xmlParserCtxtPtr ctxt) {
    if (ctxt == NULL)
        return;
    ctxt->instate = XML_PARSER_EOF;
    ctxt->disableSAX = 1;
    ctxt->errNo = XML_ERR_USER_STOP;
}

#endif
