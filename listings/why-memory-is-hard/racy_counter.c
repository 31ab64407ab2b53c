#include <pthread.h>
#include <stdio.h>

static int hits = 0;

static void *worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 1000; i++)
        hits++;         /* load, add, store: not one step */
    return NULL;
}

int main(void) {
    pthread_t threads[2];
    for (int t = 0; t < 2; t++)
        pthread_create(&threads[t], NULL, worker, NULL);
    for (int t = 0; t < 2; t++)
        pthread_join(threads[t], NULL);
    printf("hits = %d\n", hits);   /* 2000 only if no update was lost */
    return 0;
}
