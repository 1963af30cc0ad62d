/* pdf_stamp.c - (being written) */
