// sofia-sip-ua for Swift.
// System headers come first: sofia's su_configure.h defines _GNU_SOURCE, and if glibc's
// <sys/select.h> is first parsed under it, fd_set differs between Clang modules and a
// clean build fails (a warm module cache hides it).
#ifndef CSOFIASIP_SHIM_H
#define CSOFIASIP_SHIM_H
#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sdp.h>
#include <sofia-sip/sofia_features.h>
#endif
