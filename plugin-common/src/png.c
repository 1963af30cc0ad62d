/* png.c - (being written) */
