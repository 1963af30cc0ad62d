/* pdf_xref.c - (being written) */
