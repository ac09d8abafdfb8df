#include "CSofiaShim.h"
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_tag.h>

nua_t *sofiashim_nua_create(su_root_t *root, nua_callback_f callback, nua_magic_t *magic,
                            const char *bind_url, const char *user_agent) {
    return nua_create(root, callback, magic,
                      NUTAG_URL(bind_url),
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
