#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int hits = 0;

static void *worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 1000; i++)
        hits++;         /* load, add, store: not one step */
    return NULL;
}

int main(void) {
    pthread_t first, second;
    pthread_create(&first, NULL, worker, NULL);
    sleep(1);           /* gives the first thread time to finish, but orders nothing */
    pthread_create(&second, NULL, worker, NULL);
    pthread_join(first, NULL);
    pthread_join(second, NULL);
    printf("hits = %d\n", hits);   /* 2000 only if no update was lost */
    return 0;
}
