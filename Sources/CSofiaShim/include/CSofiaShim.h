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
#include <sofia-sip/sip.h>

/// nua_create bound to `bind_url` (e.g. "sip:127.0.0.1:5060"), with a User-Agent header.
nua_t *sofiashim_nua_create(su_root_t *root, nua_callback_f callback, nua_magic_t *magic,
                            const char *bind_url, const char *user_agent);
/// nua_create for a user agent that does its own SDP (the soa is off: NUTAG_MEDIA_ENABLE(0)),
/// never auto-answers, and ACKs 2xx itself.
nua_t *sofiashim_nua_create_ua(su_root_t *root, nua_callback_f callback, nua_magic_t *magic,
                               const char *bind_url, const char *user_agent);
/// Asks the root's own thread to break out of su_root_run (safe from any thread).
int sofiashim_break_in_root_thread(su_root_t *root);

/// Runs `fn(arg)` on the root's thread later; returns at once (su_msg, not su_task_execute,
/// so the caller never waits). Returns 0 when queued, -1 when the message could not be sent
/// (then `fn` never runs and the caller still owns `arg`).
int sofiashim_post(su_root_t *root, void (*fn)(void *arg), void *arg);

/// A port free for both UDP and TCP on `host` right now (sofia binds both), or 0.
/// nua cannot report the port it bound (nua_get_agent is not exported), so the agent picks
/// one with this before nua_create; the short race is acceptable for tests and "any port".
int sofiashim_free_udp_port(const char *host);

/// A new handle with To (and From when not NULL) set; `hmagic` identifies it in events.
nua_handle_t *sofiashim_handle(nua_t *nua, nua_hmagic_t *hmagic, const char *to, const char *from);

/// REGISTER; `registrar` (a SIP URI) and `proxy` (outbound proxy URI) may be NULL.
void sofiashim_register(nua_handle_t *nh, const char *registrar, const char *proxy);
/// INVITE to `request_uri` carrying `sdp` as application/sdp; `proxy` may be NULL.
void sofiashim_invite(nua_handle_t *nh, const char *request_uri, const char *sdp, const char *proxy);
/// Answers digest challenges with "Digest:<realm>:<user>:<password>" (realm as quoted in the challenge).
void sofiashim_authenticate(nua_handle_t *nh, const char *credentials);
/// Responds to the request of an incoming handle.
void sofiashim_respond(nua_handle_t *nh, int status, const char *phrase);
/// Responds to the request of a handle with an application/sdp body (a re-INVITE's answer).
void sofiashim_respond_sdp(nua_handle_t *nh, int status, const char *phrase, const char *sdp);
/// BYE inside an established dialog.
void sofiashim_bye(nua_handle_t *nh);
/// CANCEL of a pending INVITE.
void sofiashim_cancel(nua_handle_t *nh);
/// INFO with a body of `content_type`.
void sofiashim_info(nua_handle_t *nh, const char *content_type, const char *body);

/// Copies the realm of the first WWW-Authenticate or Proxy-Authenticate challenge in `sip`
/// (quotes included) into `buffer`; returns 0 when found, -1 otherwise.
int sofiashim_challenge_realm(sip_t const *sip, char *buffer, size_t size);
/// The NUTAG_CALLSTATE value (enum nua_callstate) in an nua_i_state event's tags, or -1.
int sofiashim_callstate(tagi_t const *tags);
#endif
