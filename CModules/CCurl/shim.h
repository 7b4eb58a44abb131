/* libcurl (Debian libcurl4-openssl-dev).
 *
 * Why: curl_easy_setopt and curl_easy_getinfo are variadic, and Swift cannot call variadic
 * C functions. One typed wrapper per argument kind; they can go if libcurl ever grows
 * typed setters. */
#include <curl/curl.h>

typedef size_t (*ccurl_write_callback)(char *data, size_t size, size_t count, void *user);

static inline CURLcode ccurl_set_long(CURL *h, CURLoption o, long v) {
  return curl_easy_setopt(h, o, v);
}

static inline CURLcode ccurl_set_string(CURL *h, CURLoption o, const char *v) {
  return curl_easy_setopt(h, o, v);
}

static inline CURLcode ccurl_set_pointer(CURL *h, CURLoption o, void *v) {
  return curl_easy_setopt(h, o, v);
}

static inline CURLcode ccurl_set_slist(CURL *h, CURLoption o, struct curl_slist *v) {
  return curl_easy_setopt(h, o, v);
}

static inline CURLcode ccurl_set_write_callback(CURL *h, CURLoption o,
                                                ccurl_write_callback v) {
  return curl_easy_setopt(h, o, v);
}

static inline CURLcode ccurl_get_long(CURL *h, CURLINFO i, long *out) {
  return curl_easy_getinfo(h, i, out);
}
