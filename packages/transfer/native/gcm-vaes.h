/* AES-256-GCM, 96-bit nonce, 16-byte tag, in place; only where gcm_vaes_usable() says the CPU can. */
#ifndef NATSTER_GCM_VAES_H
#define NATSTER_GCM_VAES_H

#include <stddef.h>
#include <stdint.h>

int gcm_vaes_usable(void);
void gcm_vaes_seal(const uint8_t key[32], const uint8_t nonce[12], const uint8_t* aad, size_t aad_length, uint8_t* data,
                   size_t length, uint8_t tag[16]);
/* 1 when the tag matches; the data is decrypted either way (the caller wipes it on 0). */
int gcm_vaes_open(const uint8_t key[32], const uint8_t nonce[12], const uint8_t* aad, size_t aad_length, uint8_t* data,
                  size_t length, const uint8_t tag[16]);

#endif
