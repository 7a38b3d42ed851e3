#ifndef WARDEN_CMICROHTTPD_SHIM_H
#define WARDEN_CMICROHTTPD_SHIM_H

#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

/*
 * The C edge of TokenWarden's HTTP server. Swift cannot call C variadic functions, so the ones we
 * need (MHD_start_daemon, MHD_get_connection_info, MHD_get_daemon_info) are wrapped here behind
 * fixed signatures; every daemon option travels through MHD_OPTION_ARRAY so the call itself stays
 * trivially checkable.
 */

/// How to start a daemon; see ``warden_mhd_start_daemon``.
struct warden_mhd_settings {
    /// MHD_USE_* flags; MHD_USE_IPv6 for a sockaddr_in6 `bind_address`, MHD_USE_TLS with
    /// `tls_priorities` and `tls_certificate_callback`.
    unsigned int flags;
    /// Must match the address's; libmicrohttpd only uses it in its messages.
    uint16_t port;
    /// A sockaddr_in or sockaddr_in6.
    const struct sockaddr *bind_address;
    /// <= 1 means a single internal polling thread.
    unsigned int thread_pool_size;
    unsigned int connection_limit;
    /// Connections one client address may hold at once; 0 means no limit.
    unsigned int per_client_connection_limit;
    /// Idle seconds before a connection is closed; 0 means never.
    unsigned int connection_timeout_seconds;
    /// Each connection's memory pool (request line, headers, read buffer, response headers);
    /// 0 keeps libmicrohttpd's default (32 KiB).
    size_t connection_memory_bytes;
    MHD_AccessHandlerCallback access_handler;
    MHD_RequestCompletedCallback completed_handler;
    /// Told when a connection starts and after it closed; may be NULL.
    MHD_NotifyConnectionCallback connection_handler;
    /// May be NULL; MHD only calls it when MHD_USE_ERROR_LOG is in `flags`.
    MHD_LogCallback log_handler;
    /// Passed to every callback above.
    void *context;
    /// A GnuTLS priority string; only read with MHD_USE_TLS.
    const char *tls_priorities;
    /// A `gnutls_certificate_retrieve_function2 *` that picks the certificate of each handshake;
    /// required with MHD_USE_TLS. Typed loosely so this header needs no GnuTLS headers.
    void *tls_certificate_callback;
};

/// Starts a daemon as `settings` says. Returns NULL on failure, with errno as left by MHD
/// (bind/listen failures keep theirs).
static inline struct MHD_Daemon *
warden_mhd_start_daemon(const struct warden_mhd_settings *settings)
{
    struct MHD_OptionItem options[14];
    unsigned int count = 0;

    options[count++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, (void *)settings->bind_address };
    options[count++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, (intptr_t)settings->connection_limit, NULL };
    options[count++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)settings->connection_timeout_seconds, NULL };
    options[count++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)settings->completed_handler, settings->context };
    if (settings->per_client_connection_limit > 0)
        options[count++] = (struct MHD_OptionItem){ MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)settings->per_client_connection_limit, NULL };
    if (settings->connection_handler != NULL)
        options[count++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)settings->connection_handler, settings->context };
    if (settings->connection_memory_bytes > 0)
        options[count++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)settings->connection_memory_bytes, NULL };
    if (settings->thread_pool_size > 1)
        options[count++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)settings->thread_pool_size, NULL };
    if ((settings->flags & MHD_USE_TLS) != 0) {
        options[count++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)settings->tls_priorities };
        options[count++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_CERT_CALLBACK, 0, settings->tls_certificate_callback };
    }
    options[count] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };

    /* With MHD_OPTION_SOCK_ADDR the address decides where to bind; `port` only labels messages.
       The logger must be the very first option (not inside the array), or MHD complains through
       its default logger. */
    if (settings->log_handler != NULL)
        return MHD_start_daemon(settings->flags, settings->port, NULL, NULL, settings->access_handler, settings->context,
                                MHD_OPTION_EXTERNAL_LOGGER, settings->log_handler, settings->context,
                                MHD_OPTION_ARRAY, options,
                                MHD_OPTION_END);
    return MHD_start_daemon(settings->flags, settings->port, NULL, NULL, settings->access_handler, settings->context,
                            MHD_OPTION_ARRAY, options,
                            MHD_OPTION_END);
}

/// The pointer a connection handler stored in the connection's `*socket_context` when it started.
static inline void *
warden_mhd_socket_context(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info == NULL ? NULL : info->socket_context;
}

/// The connection's socket; -1 if unknown.
static inline int
warden_mhd_connection_socket(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info == NULL ? -1 : info->connect_fd;
}

/// The connection's `gnutls_session_t`; NULL on a plain HTTP connection.
static inline void *
warden_mhd_tls_session(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    return info == NULL ? NULL : info->tls_session;
}

/// The port the daemon actually listens on (useful after binding port 0); 0 if unknown.
static inline uint16_t
warden_mhd_bound_port(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

#endif /* WARDEN_CMICROHTTPD_SHIM_H */
