/* pdf_sign.c - (being written) */
