/* pdf_lex.c - (being written) */
