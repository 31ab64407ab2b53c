#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    char *name = malloc(16);
    strcpy(name, "Ferris");
    free(name);
    puts(name);         /* reads memory the allocator may already have reused */
    return 0;
}
