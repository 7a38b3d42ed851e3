#ifndef WARDEN_CMICROHTTPD_SHIM_H
#define WARDEN_CMICROHTTPD_SHIM_H

#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

/*
 * The C edge of TokenWarden's HTTP server. Swift cannot call C variadic functions, so the one we
 * need (MHD_start_daemon) is wrapped here behind a fixed signature; every option travels through
 * MHD_OPTION_ARRAY so the call itself stays trivially checkable.
 */

/// Starts a daemon listening on `bind_address` (a sockaddr_in or sockaddr_in6; pass MHD_USE_IPv6 in
/// `flags` for the latter). `port` must match the address's; libmicrohttpd only uses it in its
/// messages. `thread_pool_size` <= 1 means a single internal polling thread.
/// `connection_memory_bytes` is each connection's memory pool (request line, headers, read
/// buffer, response headers); 0 keeps libmicrohttpd's default (32 KiB).
/// `log_handler` may be NULL; MHD only calls it when MHD_USE_ERROR_LOG is in `flags`.
/// Returns NULL on failure, with errno as left by MHD (bind/listen failures keep theirs).
static inline struct MHD_Daemon *
warden_mhd_start_daemon(unsigned int flags,
                        uint16_t port,
                        const struct sockaddr *bind_address,
                        unsigned int thread_pool_size,
                        unsigned int connection_limit,
                        unsigned int connection_timeout_seconds,
                        size_t connection_memory_bytes,
                        MHD_AccessHandlerCallback access_handler,
                        MHD_RequestCompletedCallback completed_handler,
                        MHD_LogCallback log_handler,
                        void *context)
{
    struct MHD_OptionItem options[9];
    unsigned int count = 0;

    options[count++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, (void *)bind_address };
    options[count++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, (intptr_t)connection_limit, NULL };
    options[count++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)connection_timeout_seconds, NULL };
    options[count++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed_handler, context };
    if (connection_memory_bytes > 0)
        options[count++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)connection_memory_bytes, NULL };
    if (thread_pool_size > 1)
        options[count++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)thread_pool_size, NULL };
    options[count] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };

    /* With MHD_OPTION_SOCK_ADDR the address decides where to bind; `port` only labels messages.
       The logger must be the very first option (not inside the array), or MHD complains through
       its default logger. */
    if (log_handler != NULL)
        return MHD_start_daemon(flags, port, NULL, NULL, access_handler, context,
                                MHD_OPTION_EXTERNAL_LOGGER, log_handler, context,
                                MHD_OPTION_ARRAY, options,
                                MHD_OPTION_END);
    return MHD_start_daemon(flags, port, NULL, NULL, access_handler, context,
                            MHD_OPTION_ARRAY, options,
                            MHD_OPTION_END);
}

/// The port the daemon actually listens on (useful after binding port 0); 0 if unknown.
static inline uint16_t
warden_mhd_bound_port(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

#endif /* WARDEN_CMICROHTTPD_SHIM_H */
