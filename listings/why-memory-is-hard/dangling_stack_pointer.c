#include <stdio.h>
#include <string.h>

static char *greeting(void) {
    char buf[32];
    char *text = buf;
    strcpy(text, "hello");
    return text;        /* buf dies when the function returns */
}

int main(void) {
    puts(greeting());   /* reads a stack frame that no longer exists */
    return 0;
}
