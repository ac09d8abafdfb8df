#include "CSofiaShim.h"
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/url.h>
#include <sofia-sip/su_alloc.h>

nua_t *sofiashim_nua_create(su_root_t *root, nua_callback_f callback, nua_magic_t *magic,
                            const char *bind_url, const char *user_agent) {
    return nua_create(root, callback, magic,
                      NUTAG_URL(bind_url),
                      TAG_IF(user_agent != NULL, SIPTAG_USER_AGENT_STR(user_agent)),
                      TAG_END());
}

nua_t *sofiashim_nua_create_ua(su_root_t *root, nua_callback_f callback, nua_magic_t *magic,
                               const char *bind_url, const char *user_agent) {
    return nua_create(root, callback, magic,
                      NUTAG_URL(bind_url),
                      NUTAG_MEDIA_ENABLE(0),
                      NUTAG_AUTOANSWER(0),
                      NUTAG_AUTOACK(1),
                      NUTAG_ENABLEMESSAGE(0),
                      NUTAG_OUTBOUND("no-validate no-options-keepalive"),
                      TAG_IF(user_agent != NULL, SIPTAG_USER_AGENT_STR(user_agent)),
                      TAG_END());
}

static int sofiashim_break(void *arg) {
    su_root_break((su_root_t *)arg);
    return 0;
}

int sofiashim_break_in_root_thread(su_root_t *root) {
    return su_task_execute(su_root_task(root), sofiashim_break, root, NULL);
}

struct sofiashim_job {
    void (*fn)(void *);
    void *arg;
};

static void sofiashim_run_job(su_root_magic_t *magic, su_msg_r msg, su_msg_arg_t *data) {
    (void)magic;
    (void)msg;
    struct sofiashim_job *job = (struct sofiashim_job *)data;
    job->fn(job->arg);
}

int sofiashim_post(su_root_t *root, void (*fn)(void *arg), void *arg) {
    su_msg_r msg = SU_MSG_R_INIT;
    if (su_msg_create(msg, su_root_task(root), su_task_null, sofiashim_run_job,
                      sizeof(struct sofiashim_job)) != 0) {
        return -1;
    }
    struct sofiashim_job *job = (struct sofiashim_job *)su_msg_data(msg);
    job->fn = fn;
    job->arg = arg;
    return su_msg_send(msg);
}

/* Binds one socket of `type` to host:port (port 0 = any); returns the fd or -1, port in *bound. */
static int sofiashim_bind_probe(int type, const char *host, int port, int *bound) {
    int fd = socket(AF_INET, type, 0);
    if (fd < 0) return -1;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) addr.sin_addr.s_addr = htonl(INADDR_ANY);
    socklen_t len = sizeof addr;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        close(fd);
        return -1;
    }
    *bound = ntohs(addr.sin_port);
    return fd;
}

/* A port free for both UDP and TCP: sofia binds both (transport=*), and a port free for UDP
   only once failed a start because TCP held it. Tries a few candidates. */
int sofiashim_free_udp_port(const char *host) {
    for (int attempt = 0; attempt < 32; attempt++) {
        int port = 0, same = 0;
        int udp = sofiashim_bind_probe(SOCK_DGRAM, host, 0, &port);
        if (udp < 0) return 0;
        int tcp = sofiashim_bind_probe(SOCK_STREAM, host, port, &same);
        close(udp);
        if (tcp >= 0) {
            close(tcp);
            return port;
        }
    }
    return 0;
}

nua_handle_t *sofiashim_handle(nua_t *nua, nua_hmagic_t *hmagic, const char *to, const char *from) {
    return nua_handle(nua, hmagic,
                      SIPTAG_TO_STR(to),
                      TAG_IF(from != NULL, SIPTAG_FROM_STR(from)),
                      TAG_END());
}

void sofiashim_register(nua_handle_t *nh, const char *registrar, const char *proxy) {
    nua_register(nh,
                 TAG_IF(registrar != NULL, NUTAG_REGISTRAR(registrar)),
                 TAG_IF(proxy != NULL, NUTAG_PROXY(proxy)),
                 TAG_END());
}

void sofiashim_invite(nua_handle_t *nh, const char *request_uri, const char *sdp, const char *proxy) {
    nua_invite(nh,
               TAG_IF(request_uri != NULL, NUTAG_URL(request_uri)),
               TAG_IF(proxy != NULL, NUTAG_PROXY(proxy)),
               SIPTAG_CONTENT_TYPE_STR("application/sdp"),
               SIPTAG_PAYLOAD_STR(sdp),
               TAG_END());
}

void sofiashim_authenticate(nua_handle_t *nh, const char *credentials) {
    nua_authenticate(nh, NUTAG_AUTH(credentials), TAG_END());
}

// nua_respond keeps the phrase pointer (not a copy) until its signal is handled later on the
// root thread, so the caller's string would be gone by then: copy it into the handle's home,
// which lives as long as the handle.
static const char *sofiashim_kept_phrase(nua_handle_t *nh, const char *phrase) {
    return phrase != NULL ? su_strdup(nua_handle_home(nh), phrase) : NULL;
}

void sofiashim_respond(nua_handle_t *nh, int status, const char *phrase) {
    nua_respond(nh, status, sofiashim_kept_phrase(nh, phrase), TAG_END());
}

void sofiashim_respond_sdp(nua_handle_t *nh, int status, const char *phrase, const char *sdp) {
    nua_respond(nh, status, sofiashim_kept_phrase(nh, phrase),
                SIPTAG_CONTENT_TYPE_STR("application/sdp"),
                SIPTAG_PAYLOAD_STR(sdp),
                TAG_END());
}

void sofiashim_bye(nua_handle_t *nh) {
    nua_bye(nh, TAG_END());
}

void sofiashim_cancel(nua_handle_t *nh) {
    nua_cancel(nh, TAG_END());
}

void sofiashim_info(nua_handle_t *nh, const char *content_type, const char *body) {
    nua_info(nh, SIPTAG_CONTENT_TYPE_STR(content_type), SIPTAG_PAYLOAD_STR(body), TAG_END());
}

int sofiashim_challenge_realm(sip_t const *sip, char *buffer, size_t size) {
    if (sip == NULL || buffer == NULL || size == 0) return -1;
    msg_auth_t const *au = sip->sip_www_authenticate;
    if (au == NULL) au = sip->sip_proxy_authenticate;
    if (au == NULL || au->au_params == NULL) return -1;
    char const *realm = msg_params_find(au->au_params, "realm=");
    if (realm == NULL) return -1;
    size_t n = strlen(realm);
    if (n + 1 > size) return -1;
    memcpy(buffer, realm, n + 1);
    return 0;
}

int sofiashim_callstate(tagi_t const *tags) {
    int state = -1;
    if (tags == NULL) return -1;
    tagi_t const *found = tl_find(tags, nutag_callstate);
    if (found != NULL) state = (int)found->t_value;
    return state;
}
