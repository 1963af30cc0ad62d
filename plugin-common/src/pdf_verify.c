/* pdf_verify.c - (being written) */
