/* SPDX-License-Identifier: MIT */
/* smtp.c: send one message over SMTP with libcurl's smtp/smtps support.
 *
 * libcurl does the protocol (EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, DATA
 * with dot-stuffing); we feed it the message from memory through a read
 * callback and turn its result into an achim code and a message naming the
 * server. One message per call: a morning brief is one e-mail a day. */
#include "deliver/deliver.h"

#include <curl/curl.h>
#include <string.h>

struct reader {
    const char *p;
    size_t left;
};

static size_t read_message(char *dst, size_t size, size_t nmemb, void *ctx)
{
    struct reader *r = ctx;
    size_t room = size * nmemb;
    size_t n = r->left < room ? r->left : room;
    memcpy(dst, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

bool deliver_bare_address(const char *addr, char *out, size_t cap)
{
    if (!addr || strpbrk(addr, "\r\n"))
        return false;
    const char *lt = strrchr(addr, '<');
    const char *s = lt ? lt + 1 : addr;
    while (*s == ' ')
        s++;
    size_t n = lt ? strcspn(s, ">") : strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (!n || n >= cap || !memchr(s, '@', n) || memchr(s, '\r', n) || memchr(s, '\n', n) ||
        memchr(s, ' ', n))
        return false;
    memcpy(out, s, n);
    out[n] = 0;
    return true;
}

static bool valid_url(const char *url)
{
    return url && (strncmp(url, "smtp://", 7) == 0 || strncmp(url, "smtps://", 8) == 0);
}

enum achim_code deliver_smtp_send(const struct deliver_smtp *o, const char *message, size_t len,
                                  struct err *err)
{
    if (!valid_url(o->url))
        return err_set(err, ACHIM_EINVAL, "mail server '%s' is not an smtp:// or smtps:// URL",
                       o->url ? o->url : "");
    char from[320];
    if (!deliver_bare_address(o->from, from, sizeof(from)))
        return err_set(err, ACHIM_EINVAL, "sender '%s' is not a mail address",
                       o->from ? o->from : "");
    if (!o->nto)
        return err_set(err, ACHIM_EINVAL, "no recipient");
    CURL *c = curl_easy_init();
    if (!c)
        return err_set(err, ACHIM_ENOMEM, "cannot start libcurl");
    struct curl_slist *rcpt = NULL;
    enum achim_code rc = ACHIM_OK;
    for (size_t i = 0; i < o->nto; i++) {
        char to[320];
        if (!deliver_bare_address(o->to[i], to, sizeof(to))) {
            rc = err_set(err, ACHIM_EINVAL, "recipient '%s' is not a mail address", o->to[i]);
            goto out;
        }
        struct curl_slist *n = curl_slist_append(rcpt, to);
        if (!n) {
            rc = err_set(err, ACHIM_ENOMEM, "out of memory");
            goto out;
        }
        rcpt = n;
    }
    struct reader r = {message, len};
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, o->url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(c, CURLOPT_READDATA, &r);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout_seconds > 0 ? o->timeout_seconds : 60L);
    if (strncmp(o->url, "smtp://", 7) == 0) {
        if (o->tls == DELIVER_TLS_STARTTLS)
            curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
        else if (o->tls == DELIVER_TLS_AUTO)
            curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
        else
            curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_NONE);
    }
    if (o->ca_file && *o->ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
    if (o->insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (o->user && *o->user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, o->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, o->password ? o->password : "");
    }
    CURLcode cc = curl_easy_perform(c);
    if (cc != CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        const char *why = errbuf[0] ? errbuf : curl_easy_strerror(cc);
        if (cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE)
            rc = err_set(err, ACHIM_EIO,
                         "sending to '%s' failed: the server's TLS certificate is not trusted "
                         "(%s); give its CA in smtp_ca_file",
                         o->url, why);
        else if (cc == CURLE_USE_SSL_FAILED)
            rc = err_set(err, ACHIM_EIO,
                         "sending to '%s' failed: the server does not offer STARTTLS, which "
                         "smtp_tls = starttls requires (%s)",
                         o->url, why);
        else if (cc == CURLE_SSL_CONNECT_ERROR)
            rc =
                err_set(err, ACHIM_EIO, "sending to '%s' failed: no TLS session (%s)", o->url, why);
        else if (code)
            rc = err_set(err, ACHIM_EIO, "sending to '%s' failed (server said %ld): %s", o->url,
                         code, why);
        else
            rc = err_set(err, ACHIM_EIO, "sending to '%s' failed: %s", o->url, why);
    }
out:
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    return rc;
}
