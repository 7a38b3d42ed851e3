#ifndef WARDEN_CGNUTLS_SHIM_H
#define WARDEN_CGNUTLS_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>

/*
 * The C edge of TokenWarden's TLS: GnuTLS, the library the system's libmicrohttpd serves TLS with.
 * libmicrohttpd owns the sessions; TokenWarden supplies the server's certificate per handshake
 * (so a new one can be served without restarting the daemon) and checks client certificates
 * against a trust list it can also replace. The multi-step GnuTLS calls with buffers, lists and
 * cleanup paths live here, so the Swift side only holds pointers and reads results.
 */

/// The most certificates a served chain (leaf and intermediates) or a client's chain may hold.
#define WARDEN_TLS_MAX_CHAIN 16

/// What went wrong in ``warden_tls_identity_load``.
enum warden_tls_identity_part {
    WARDEN_TLS_PART_CERTIFICATE = 1,
    WARDEN_TLS_PART_KEY = 2,
    WARDEN_TLS_PART_PAIR = 3
};

/// A server identity: the certificate chain (leaf first) and its private key, in the form a
/// `gnutls_certificate_retrieve_function2` hands to GnuTLS. GnuTLS does not copy or free them,
/// so whoever hands them out keeps the identity alive for as long as the session may use it.
typedef struct warden_tls_identity {
    gnutls_pcert_st *chain;
    unsigned int length;
    gnutls_privkey_t key;
} warden_tls_identity;

static inline void
warden_tls_identity_free(warden_tls_identity *identity)
{
    if (identity == NULL)
        return;
    for (unsigned int i = 0; i < identity->length; i++)
        gnutls_pcert_deinit(&identity->chain[i]);
    free(identity->chain);
    if (identity->key != NULL)
        gnutls_privkey_deinit(identity->key);
    free(identity);
}

/// Whether the private key belongs to the leaf certificate: their public keys are compared.
static inline int
warden_tls_key_matches_leaf(const warden_tls_identity *identity)
{
    gnutls_pubkey_t from_key = NULL;
    gnutls_datum_t key_der = { NULL, 0 };
    gnutls_datum_t leaf_der = { NULL, 0 };
    int matches = 0;
    if (gnutls_pubkey_init(&from_key) >= 0
        && gnutls_pubkey_import_privkey(from_key, identity->key, 0, 0) >= 0
        && gnutls_pubkey_export2(from_key, GNUTLS_X509_FMT_DER, &key_der) >= 0
        && gnutls_pubkey_export2(identity->chain[0].pubkey, GNUTLS_X509_FMT_DER, &leaf_der) >= 0)
        matches = key_der.size == leaf_der.size && memcmp(key_der.data, leaf_der.data, key_der.size) == 0;
    if (key_der.data != NULL)
        gnutls_free(key_der.data);
    if (leaf_der.data != NULL)
        gnutls_free(leaf_der.data);
    if (from_key != NULL)
        gnutls_pubkey_deinit(from_key);
    return matches;
}

/// Parses a PEM certificate chain (sorted leaf first if it is not) and a PEM private key
/// (PKCS#1, PKCS#8 or SEC1, unencrypted), and checks that the key belongs to the leaf.
/// Returns 0 and sets `*out`, or a negative GnuTLS error code with `*failed_part` saying which
/// input it concerns (``warden_tls_identity_part``).
static inline int
warden_tls_identity_load(const unsigned char *certificate_pem, unsigned int certificate_size,
                         const unsigned char *key_pem, unsigned int key_size,
                         warden_tls_identity **out, int *failed_part)
{
    gnutls_datum_t certificate = { (unsigned char *)certificate_pem, certificate_size };
    gnutls_datum_t key = { (unsigned char *)key_pem, key_size };
    warden_tls_identity *identity = calloc(1, sizeof *identity);
    int ret;

    *out = NULL;
    *failed_part = WARDEN_TLS_PART_CERTIFICATE;
    if (identity == NULL)
        return GNUTLS_E_MEMORY_ERROR;
    identity->chain = calloc(WARDEN_TLS_MAX_CHAIN, sizeof(gnutls_pcert_st));
    if (identity->chain == NULL) {
        free(identity);
        return GNUTLS_E_MEMORY_ERROR;
    }
    unsigned int length = WARDEN_TLS_MAX_CHAIN;
    ret = gnutls_pcert_list_import_x509_raw(identity->chain, &length, &certificate, GNUTLS_X509_FMT_PEM,
                                            GNUTLS_X509_CRT_LIST_SORT);
    if (ret < 0) {
        warden_tls_identity_free(identity);
        return ret;
    }
    identity->length = length;
    if (length == 0) {
        warden_tls_identity_free(identity);
        return GNUTLS_E_NO_CERTIFICATE_FOUND;
    }

    *failed_part = WARDEN_TLS_PART_KEY;
    ret = gnutls_privkey_init(&identity->key);
    if (ret >= 0)
        ret = gnutls_privkey_import_x509_raw(identity->key, &key, GNUTLS_X509_FMT_PEM, NULL, 0);
    if (ret < 0) {
        warden_tls_identity_free(identity);
        return ret;
    }

    *failed_part = WARDEN_TLS_PART_PAIR;
    if (!warden_tls_key_matches_leaf(identity)) {
        warden_tls_identity_free(identity);
        return GNUTLS_E_CERTIFICATE_KEY_MISMATCH;
    }
    *out = identity;
    return 0;
}

/// The leaf certificate's subject (RFC 4514), serial number (lowercase hex) and expiry, for
/// the log line that says which certificate is being served. Returns 0 or a GnuTLS error code.
static inline int
warden_tls_identity_describe(const warden_tls_identity *identity, char *subject, size_t subject_size,
                             char *serial_hex, size_t serial_hex_size, time_t *expires)
{
    gnutls_x509_crt_t leaf = NULL;
    gnutls_datum_t dn = { NULL, 0 };
    unsigned char serial[64];
    size_t serial_size = sizeof serial;
    int ret = gnutls_x509_crt_init(&leaf);
    if (ret >= 0)
        ret = gnutls_x509_crt_import(leaf, &identity->chain[0].cert, GNUTLS_X509_FMT_DER);
    if (ret >= 0)
        ret = gnutls_x509_crt_get_dn3(leaf, &dn, 0);
    if (ret >= 0) {
        snprintf(subject, subject_size, "%.*s", (int)dn.size, (const char *)dn.data);
        ret = gnutls_x509_crt_get_serial(leaf, serial, &serial_size);
    }
    if (ret >= 0) {
        size_t written = 0;
        if (serial_hex_size > 0)
            serial_hex[0] = '\0';
        for (size_t i = 0; i < serial_size && written + 3 <= serial_hex_size; i++)
            written += (size_t)snprintf(serial_hex + written, serial_hex_size - written, "%02x", serial[i]);
        *expires = gnutls_x509_crt_get_expiration_time(leaf);
    }
    if (dn.data != NULL)
        gnutls_free(dn.data);
    if (leaf != NULL)
        gnutls_x509_crt_deinit(leaf);
    return ret < 0 ? ret : 0;
}

/// Hands the identity to GnuTLS from a `gnutls_certificate_retrieve_function2`.
static inline int
warden_tls_identity_select(const warden_tls_identity *identity, gnutls_pcert_st **chain, unsigned int *length,
                           gnutls_privkey_t *key)
{
    *chain = identity->chain;
    *length = identity->length;
    *key = identity->key;
    return 0;
}

/// A trust list of the client CAs in a PEM file. Returns 0 and sets `*out` and `*count` (the
/// certificates added), or a negative GnuTLS error code (GNUTLS_E_NO_CERTIFICATE_FOUND for a
/// file without any).
static inline int
warden_tls_trust_load(const unsigned char *pem, unsigned int size, gnutls_x509_trust_list_t *out, unsigned int *count)
{
    gnutls_x509_trust_list_t list = NULL;
    gnutls_datum_t cas = { (unsigned char *)pem, size };
    int ret = gnutls_x509_trust_list_init(&list, 0);
    *out = NULL;
    *count = 0;
    if (ret < 0)
        return ret;
    ret = gnutls_x509_trust_list_add_trust_mem(list, &cas, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
    if (ret <= 0) {
        gnutls_x509_trust_list_deinit(list, 1);
        return ret == 0 ? GNUTLS_E_NO_CERTIFICATE_FOUND : ret;
    }
    *out = list;
    *count = (unsigned int)ret;
    return 0;
}

static inline void
warden_tls_trust_free(gnutls_x509_trust_list_t list)
{
    if (list != NULL)
        gnutls_x509_trust_list_deinit(list, 1);
}

/// Outcome of ``warden_tls_verify_client``.
enum warden_tls_client_verdict {
    WARDEN_TLS_CLIENT_VERIFIED = 0,
    WARDEN_TLS_CLIENT_NO_CERTIFICATE = 1,
    WARDEN_TLS_CLIENT_REJECTED = 2
};

/// Checks the certificate chain the client sent in this handshake against `trust`, for TLS
/// client authentication (extended key usage, when present, must allow it). On rejection
/// `*status` holds the GnuTLS verification status bits (0 when the chain could not be parsed).
static inline int
warden_tls_verify_client(gnutls_session_t session, gnutls_x509_trust_list_t trust, unsigned int *status)
{
    unsigned int count = 0;
    const gnutls_datum_t *sent = gnutls_certificate_get_peers(session, &count);
    gnutls_x509_crt_t chain[WARDEN_TLS_MAX_CHAIN];
    unsigned int imported = 0;
    int verdict = WARDEN_TLS_CLIENT_REJECTED;

    *status = 0;
    if (sent == NULL || count == 0)
        return WARDEN_TLS_CLIENT_NO_CERTIFICATE;
    if (count > WARDEN_TLS_MAX_CHAIN)
        return WARDEN_TLS_CLIENT_REJECTED;
    while (imported < count) {
        if (gnutls_x509_crt_init(&chain[imported]) < 0)
            break;
        imported++;
        if (gnutls_x509_crt_import(chain[imported - 1], &sent[imported - 1], GNUTLS_X509_FMT_DER) < 0)
            break;
    }
    if (imported == count) {
        gnutls_typed_vdata_st purpose = { GNUTLS_DT_KEY_PURPOSE_OID, (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0 };
        int ret = gnutls_x509_trust_list_verify_crt2(trust, chain, count, &purpose, 1, 0, status, NULL);
        if (ret >= 0 && *status == 0)
            verdict = WARDEN_TLS_CLIENT_VERIFIED;
        else if (ret < 0 && *status == 0)
            *status = GNUTLS_CERT_INVALID;
    }
    for (unsigned int i = 0; i < imported; i++)
        gnutls_x509_crt_deinit(chain[i]);
    return verdict;
}

/// Why a chain did not verify, in GnuTLS's words, into `buffer`.
static inline void
warden_tls_status_text(unsigned int status, char *buffer, size_t size)
{
    gnutls_datum_t text = { NULL, 0 };
    if (size == 0)
        return;
    buffer[0] = '\0';
    if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) >= 0 && text.data != NULL) {
        snprintf(buffer, size, "%.*s", (int)text.size, (const char *)text.data);
        gnutls_free(text.data);
    }
}

/// Whether GnuTLS accepts a priority string (TokenWarden builds it from the TLS versions allowed).
/// Returns 0 or a negative GnuTLS error code.
static inline int
warden_tls_check_priorities(const char *priorities)
{
    gnutls_priority_t cache = NULL;
    int ret = gnutls_priority_init(&cache, priorities, NULL);
    if (cache != NULL)
        gnutls_priority_deinit(cache);
    return ret < 0 ? ret : 0;
}

#endif /* WARDEN_CGNUTLS_SHIM_H */
