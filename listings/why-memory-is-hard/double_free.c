#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints the message and frees it: this function believes it owns the block. */
static void report(char *message) {
    puts(message);
    free(message);
}

int main(void) {
    char *buffer = malloc(64);
    strcpy(buffer, "disk full");
    report(buffer);
    /* ... later, on the error path, main frees the block it believes it still owns ... */
    free(buffer);
    return 1;
}
