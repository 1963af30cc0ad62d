/* replay.c - run a fuzz target over saved inputs (files, or directories of files), so that
 * the seed corpora and every crasher found are replayed by CTest under any compiler.
 * Exits 77 (CTest "skipped") when none of the paths exists. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REPLAY_INPUT_MAX (16 * 1024 * 1024)
#define REPLAY_SKIPPED 77

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    size_t n;

    if (f == NULL)
        return 0;
    buf = malloc(REPLAY_INPUT_MAX);
    if (buf == NULL)
        abort();
    n = fread(buf, 1, REPLAY_INPUT_MAX, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 1;
}

static int replay_path(const char *path)
{
    struct stat st;
    struct dirent *de;
    DIR *dir;
    int count = 0;

    if (stat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);
    dir = opendir(path);
    if (dir == NULL)
        return 0;
    while ((de = readdir(dir)) != NULL) {
        char child[4096];
        if (de->d_name[0] == '.')
            continue;
        if (snprintf(child, sizeof(child), "%s/%s", path, de->d_name) < (int)sizeof(child))
            count += replay_path(child);
    }
    closedir(dir);
    return count;
}

int main(int argc, char **argv)
{
    int i, count = 0;

    for (i = 1; i < argc; i++)
        count += replay_path(argv[i]);
    printf("replayed %d inputs\n", count);
    return count > 0 ? 0 : REPLAY_SKIPPED;
}
