/* pdf_doc.c - (being written) */
