/* pdftext.c - eseal-pdftext, the helper process that reads the text of one PDF for libeseal
 * (see extract_pdf.c); not a command for people. */
#include "extract_int.h"

int main(int argc, char **argv)
{
    return extract_pdf_helper_main(argc, argv);
}
