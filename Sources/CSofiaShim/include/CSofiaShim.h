// Non-variadic wrappers for sofia-sip's tag-list API, which Swift cannot call.
// Same include order rule as CSofiaSIP/shim.h: system headers before sofia's.
#ifndef CSOFIASHIM_H
#define CSOFIASHIM_H
#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/nua.h>

/// nua_create bound to `bind_url` (e.g. "sip:127.0.0.1:5060"), with a User-Agent header.
nua_t *sofiashim_nua_create(su_root_t *root, nua_callback_f callback, nua_magic_t *magic,
                            const char *bind_url, const char *user_agent);
/// Asks the root's own thread to break out of su_root_run (safe from any thread).
int sofiashim_break_in_root_thread(su_root_t *root);
#endif
