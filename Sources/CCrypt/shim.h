#ifndef WARDEN_CCRYPT_SHIM_H
#define WARDEN_CCRYPT_SHIM_H

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

/*
 * The system's libcrypt (libxcrypt), which verifies bcrypt password hashes ($2a$, $2b$, $2y$).
 * crypt_r's state is about 32 KiB, so it lives on the heap, one per call: calls may run on
 * several threads at once.
 */

/// 1 when `password` hashes to `hash`, 0 when it does not, -1 when libcrypt cannot use `hash`
/// (an unknown or malformed setting). The comparison takes the same time wherever the first
/// difference is.
static inline int
warden_crypt_matches(const char *password, const char *hash)
{
    struct crypt_data *data = calloc(1, sizeof *data);
    int result = -1;
    if (data == NULL)
        return -1;
    const char *computed = crypt_r(password, hash, data);
    if (computed != NULL && computed[0] != '*') {
        size_t expected_length = strlen(hash);
        size_t computed_length = strlen(computed);
        unsigned char difference = expected_length != computed_length;
        size_t shorter = expected_length < computed_length ? expected_length : computed_length;
        for (size_t i = 0; i < shorter; i++)
            difference |= (unsigned char)(computed[i] ^ hash[i]);
        result = difference == 0;
    }
    explicit_bzero(data, sizeof *data);
    free(data);
    return result;
}

#endif /* WARDEN_CCRYPT_SHIM_H */
