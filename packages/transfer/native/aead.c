/*
 * AES-256-GCM on a chunk, in place: the same bytes as node:crypto and WebCrypto (PROTOCOL: the
 * sealed chunk is ciphertext ‖ 16-byte tag). node:crypto's update() allocates and copies its output
 * on every call, which costs more than the cipher itself; here OpenSSL writes over its input.
 *
 * It links against nothing: EVP_* resolve to the OpenSSL that the running node binary exports
 * (loaded with RTLD_NOW, so a node without them fails at load, never at a call).
 *
 * On CPUs with VAES and AVX-512, gcm-vaes.c seals and opens instead (2–3× OpenSSL 3.0's speed);
 * NATSTER_NATIVE_AEAD=openssl keeps OpenSSL there too, for side-by-side measurements.
 */
#define NAPI_VERSION 8
#include <limits.h>
#include <node_api.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "gcm-vaes.h"

#define KEY_BYTES 32
#define NONCE_BYTES 12
#define TAG_BYTES 16

typedef enum { OPENSSL, VAES } Backend;
/* Each load gets its own functions, bound to the backend chosen when it loaded. */
static const Backend BACKENDS[] = {OPENSSL, VAES};

typedef struct {
  unsigned char* data;
  size_t length;
} Bytes;

static int uint8_array(napi_env env, napi_value value, Bytes* out) {
  bool is_typed_array = false;
  napi_typedarray_type type;
  napi_value array_buffer;
  size_t offset;
  void* data = NULL;
  if (napi_is_typedarray(env, value, &is_typed_array) != napi_ok || !is_typed_array) return 0;
  if (napi_get_typedarray_info(env, value, &type, &out->length, &data, &array_buffer, &offset) != napi_ok) return 0;
  if (type != napi_uint8_array) return 0;
  out->data = data;
  return 1;
}

static int openssl_in_place(const Bytes* key, const Bytes* nonce, const Bytes* aad, const Bytes* chunk, int encrypt) {
  int body = (int)(chunk->length - TAG_BYTES);
  unsigned char* tag = chunk->data + body;
  int written = 0, ok = 0;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx && EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, key->data, nonce->data, encrypt) == 1 &&
      (aad->length == 0 || EVP_CipherUpdate(ctx, NULL, &written, aad->data, (int)aad->length) == 1) &&
      (encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, tag) == 1) &&
      (body == 0 || EVP_CipherUpdate(ctx, chunk->data, &written, chunk->data, body) == 1) &&
      EVP_CipherFinal_ex(ctx, chunk->data + body, &written) == 1) {
    ok = !encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, tag) == 1;
  }
  EVP_CIPHER_CTX_free(ctx);
  return ok;
}

static int vaes_in_place(const Bytes* key, const Bytes* nonce, const Bytes* aad, const Bytes* chunk, int encrypt) {
  size_t body = chunk->length - TAG_BYTES;
  if (!encrypt) return gcm_vaes_open(key->data, nonce->data, aad->data, aad->length, chunk->data, body, chunk->data + body);
  gcm_vaes_seal(key->data, nonce->data, aad->data, aad->length, chunk->data, body, chunk->data + body);
  return 1;
}

/* (key, nonce, aad, chunk): chunk is body ‖ 16 tag bytes; sealing fills the tag, opening checks it. */
static napi_value run(napi_env env, napi_callback_info info, int encrypt) {
  size_t argc = 4;
  napi_value argv[4];
  Bytes key, nonce, aad, chunk;
  void* backend = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, &backend) != napi_ok || argc != 4 || !uint8_array(env, argv[0], &key) ||
      !uint8_array(env, argv[1], &nonce) || !uint8_array(env, argv[2], &aad) || !uint8_array(env, argv[3], &chunk) ||
      key.length != KEY_BYTES || nonce.length != NONCE_BYTES || aad.length > INT_MAX || chunk.length < TAG_BYTES ||
      chunk.length - TAG_BYTES > INT_MAX) {
    napi_throw_type_error(env, "BAD_ARGUMENTS", "expected (key: 32 bytes, nonce: 12 bytes, aad, chunk: at least 16 bytes)");
    return NULL;
  }
  int ok = *(const Backend*)backend == VAES ? vaes_in_place(&key, &nonce, &aad, &chunk, encrypt)
                                           : openssl_in_place(&key, &nonce, &aad, &chunk, encrypt);
  /* A chunk that fails its tag was decrypted anyway: leave none of that unauthenticated plaintext. */
  if (!ok && !encrypt) memset(chunk.data, 0, chunk.length - TAG_BYTES);
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

static napi_value seal_in_place(napi_env env, napi_callback_info info) { return run(env, info, 1); }
static napi_value open_in_place(napi_env env, napi_callback_info info) { return run(env, info, 0); }

NAPI_MODULE_INIT() {
  const char* choice = getenv("NATSTER_NATIVE_AEAD");
  const Backend* backend = &BACKENDS[gcm_vaes_usable() && !(choice && strcmp(choice, "openssl") == 0) ? VAES : OPENSSL];
  napi_value fn;
  napi_create_function(env, "sealInPlace", NAPI_AUTO_LENGTH, seal_in_place, (void*)backend, &fn);
  napi_set_named_property(env, exports, "sealInPlace", fn);
  napi_create_function(env, "openInPlace", NAPI_AUTO_LENGTH, open_in_place, (void*)backend, &fn);
  napi_set_named_property(env, exports, "openInPlace", fn);
  napi_value name;
  napi_create_string_utf8(env, *backend == VAES ? "vaes-avx512" : "openssl", NAPI_AUTO_LENGTH, &name);
  napi_set_named_property(env, exports, "backend", name);
  return exports;
}
